// Every queue whose leases name their holder, taken over together when a process is found dead:
// the emails a worker held, the webhook deliveries a worker was sending and the reply forwards an
// inbound process held.
import { takeOverLeases as takeOverEmails } from '../delivery/index.ts';
import { takeOverForwards } from '../inbound/index.ts';
import type { TakeOverLeases } from '../processes/index.ts';
import { takeOverDeliveries } from '../webhooks/index.ts';

export const takeOverAllLeases: TakeOverLeases = async (trx, from) =>
  (await takeOverEmails(trx, from)) + (await takeOverForwards(trx, from)) + (await takeOverDeliveries(trx, from));
