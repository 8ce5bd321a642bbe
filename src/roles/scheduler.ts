// The scheduler role: work on the whole installation's data that runs on a beat rather than per
// request: the rollups of the event log (stats) and the webhook outbox (a delivery per event and
// endpoint), and once a day retention; alerts will join them. Several processes may run it: a batch holds its cursor's lock,
// so each event is folded, and queued for each endpoint, once.
import { startRollups } from '../analytics/rollups/index.ts';
import { clientOf } from '../analytics/clients.ts';
import { createProviderLookup } from '../analytics/providers.ts';
import { startOutbox } from '../webhooks/index.ts';
import { startRetention } from '../retention/index.ts';
import type { Role } from './role.ts';

export const schedulerRole: Role = {
  name: 'scheduler',
  async start({ store, config, log, pollMs }, parts) {
    const rollups = await startRollups({
      db: store.db,
      notifier: store.notifier,
      providers: createProviderLookup({ db: store.db, lookupMx: config.PROVIDER_MX_LOOKUP }),
      clientOf,
      pollMs: pollMs === undefined ? undefined : Math.min(pollMs, 500),
      log,
    });
    parts.add('rollups', () => rollups.stop());
    const outbox = await startOutbox({ db: store.db, notifier: store.notifier, pollMs: pollMs === undefined ? undefined : Math.min(pollMs, 500), log });
    parts.add('webhook outbox', () => outbox.stop());
    // Daily: bodies, events (with their emails) and raw inbound mail past each project's retention.
    const retention = startRetention({ db: store.db, log });
    parts.add('retention', () => retention.stop());
    return {};
  },
};
