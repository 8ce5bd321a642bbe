// POST /v1/webhooks/:id/test: a `webhook.test` delivery queued for one endpoint, sent and logged
// like any other (it belongs to no email, so it waits for nothing).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { transact } from '../../store/transact.ts';
import { notify } from '../../store/open-store.ts';
import { newId } from '../../shared/ids.ts';
import { insertDeliveries } from './outbox.repository.ts';
import { DELIVERIES_CHANNEL } from './fill-outbox.ts';

export async function queueTestDelivery(db: Kysely<Database>, endpoint: { id: string; project_id: string }, now: Date): Promise<string> {
  const id = newId();
  await transact(db, async (trx) => {
    await insertDeliveries(trx, [{
      id,
      endpointId: endpoint.id,
      projectId: endpoint.project_id,
      eventId: null,
      emailId: null,
      eventType: 'webhook.test',
      payload: { type: 'webhook.test', created_at: now.toISOString(), data: { endpoint_id: endpoint.id, message: 'A test event from Sendtrail: this endpoint receives webhooks.' } },
    }]);
    await notify(trx, DELIVERIES_CHANNEL);
  });
  return id;
}
