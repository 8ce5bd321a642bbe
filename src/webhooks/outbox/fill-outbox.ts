// One batch of the event log turned into webhook deliveries, exactly once: the events after the
// outbox's cursor, a delivery per (event, matching endpoint), and the cursor's move are one
// transaction under the cursor's row lock. A crash anywhere in it leaves neither deliveries nor a
// moved cursor; the batch is read again in full. Two schedulers never fill the same events.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { notify } from '../../store/open-store.ts';
import { lockCursor, saveCursor } from '../../store/log-cursors.repository.ts';
import { readLogWithEmails, type LogCursor, type LoggedEventWithEmail } from '../../events/index.ts';
import { newId } from '../../shared/ids.ts';
import { listEnabledEndpoints, type EndpointRow } from '../endpoints/endpoints.repository.ts';
import { HIT_TYPES } from '../webhook-event-types.ts';
import { insertDeliveries, type NewDelivery } from './outbox.repository.ts';
import { isCountedHit, payloadOf } from './webhook-payload.ts';

export const WEBHOOKS_CURSOR = 'webhooks';
/** Announced when deliveries were queued: idle senders wake. */
export const DELIVERIES_CHANNEL = 'sendtrail_webhook_deliveries';
export const DEFAULT_OUTBOX_BATCH = 1000;

export type FillOutboxOptions = {
  batchSize?: number;
  /** Tests: called inside the transaction after the deliveries are written, before the cursor moves. */
  beforeCursorMoves?: () => Promise<void> | void;
};

export async function fillOutbox(db: Kysely<Database>, options: FillOutboxOptions = {}): Promise<{ events: number; deliveries: number; cursor: LogCursor }> {
  return db.transaction().execute(async (trx) => {
    const before = await lockCursor(trx, WEBHOOKS_CURSOR);
    const events = await readLogWithEmails(trx, { after: before, limit: options.batchSize ?? DEFAULT_OUTBOX_BATCH });
    if (events.length === 0) return { events: 0, deliveries: 0, cursor: before };
    const last = events.at(-1)!;
    const cursor: LogCursor = { txid: last.txid, id: last.id };
    const deliveries = deliveriesFor(events, await listEnabledEndpoints(trx));
    await insertDeliveries(trx, deliveries);
    await options.beforeCursorMoves?.();
    await saveCursor(trx, WEBHOOKS_CURSOR, cursor);
    if (deliveries.length > 0) await notify(trx, DELIVERIES_CHANNEL);
    return { events: events.length, deliveries: deliveries.length, cursor };
  });
}

/** Which endpoints get an event: the email's project's, subscribed to its type, created before it happened. */
export function deliveriesFor(events: readonly LoggedEventWithEmail[], endpoints: readonly EndpointRow[]): NewDelivery[] {
  const byProject = new Map<string, EndpointRow[]>();
  for (const e of endpoints) byProject.set(e.project_id, [...(byProject.get(e.project_id) ?? []), e]);
  const out: NewDelivery[] = [];
  for (const event of events) {
    const mine = byProject.get(event.project_id);
    if (!mine) continue;
    const payload = payloadOf(event);
    if (!payload) continue;
    for (const endpoint of mine) {
      if (!wants(endpoint, payload.type, isCountedHit(payload))) continue;
      // An endpoint hears of what happened after it was made, not of the backlog before it.
      if (event.created_at < endpoint.created_at) continue;
      out.push({ id: newId(), endpointId: endpoint.id, projectId: event.project_id, eventId: event.id, emailId: event.email_id, eventType: payload.type, payload });
    }
  }
  return out;
}

export function wants(endpoint: Pick<EndpointRow, 'event_types' | 'counted_only'>, type: string, counted: boolean): boolean {
  if (endpoint.event_types.length > 0 && !endpoint.event_types.includes(type)) return false;
  return !(endpoint.counted_only && HIT_TYPES.has(type) && !counted);
}
