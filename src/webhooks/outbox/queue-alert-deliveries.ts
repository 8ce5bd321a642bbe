// alert.triggered and alert.resolved: written into the outbox by the alerts' evaluation, in its
// transaction, a delivery per enabled endpoint of the project subscribed to the type. They belong
// to no email (email_id NULL), so they wait for no email's earlier deliveries and hold none back:
// the per-email order of the log's deliveries is untouched.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { notify } from '../../store/open-store.ts';
import { newId } from '../../shared/ids.ts';
import { listEnabledEndpoints } from '../endpoints/endpoints.repository.ts';
import { insertDeliveries, type NewDelivery } from './outbox.repository.ts';
import { DELIVERIES_CHANNEL, wants } from './fill-outbox.ts';
import type { WebhookPayload } from './webhook-payload.ts';

export type AlertPayload = WebhookPayload & { type: 'alert.triggered' | 'alert.resolved' };

/** Queues each payload for the project's endpoints that want it; returns how many deliveries. */
export async function queueAlertDeliveries(trx: Kysely<Database>, projectId: string, payloads: readonly AlertPayload[]): Promise<number> {
  if (payloads.length === 0) return 0;
  const endpoints = (await listEnabledEndpoints(trx)).filter((e) => e.project_id === projectId);
  const deliveries: NewDelivery[] = [];
  for (const payload of payloads) {
    for (const endpoint of endpoints) {
      if (!wants(endpoint, payload.type, false)) continue;
      deliveries.push({ id: newId(), endpointId: endpoint.id, projectId, eventId: null, emailId: null, eventType: payload.type, payload });
    }
  }
  await insertDeliveries(trx, deliveries);
  if (deliveries.length > 0) await notify(trx, DELIVERIES_CHANNEL);
  return deliveries.length;
}
