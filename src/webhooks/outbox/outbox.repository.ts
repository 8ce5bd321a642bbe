// The outbox's writes: deliveries, one per (event, endpoint), in one statement.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { lockDeliveryOrder } from '../sending/delivery-order.ts';

export type NewDelivery = {
  id: string;
  endpointId: string;
  projectId: string;
  eventId: number | null;
  emailId: string | null;
  eventType: string;
  payload: Record<string, unknown>;
};

/**
 * Queues deliveries in the order given (their seq follows it): due now, but for one that waits
 * behind an earlier pending delivery of its email to its endpoint, queued before or earlier in this
 * batch, which has no due time until that one finishes (sending/delivery-order.ts). Call it in a
 * transaction: the order lock it takes lasts until the commit.
 */
export async function insertDeliveries(db: Kysely<Database>, deliveries: readonly NewDelivery[]): Promise<void> {
  if (deliveries.length === 0) return;
  await lockDeliveryOrder(db, 'exclusive');
  // Raw SQL: the batch as one JSON parameter, one round trip whatever its size; each row's place (n)
  // keeps the log's order in seq. ON CONFLICT names the unique index of (endpoint, event): a pair
  // queued already is left as it is (a pair repeated in one batch cannot happen: the log has each
  // event once).
  const batch = JSON.stringify(deliveries.map((d, n) => ({ n, i: d.id, w: d.endpointId, p: d.projectId, v: d.eventId, e: d.emailId, t: d.eventType, b: d.payload })));
  await sql`
    INSERT INTO webhook_deliveries (id, endpoint_id, project_id, event_id, email_id, event_type, payload, next_attempt_at)
    SELECT r.i, r.w, r.p, r.v, r.e, r.t, r.b,
      CASE WHEN r.e IS NULL THEN now()
        WHEN row_number() OVER (PARTITION BY r.w, r.e ORDER BY r.n) > 1 THEN NULL
        WHEN EXISTS (SELECT 1 FROM webhook_deliveries earlier
          WHERE earlier.endpoint_id = r.w AND earlier.email_id = r.e AND earlier.state = 'pending') THEN NULL
        ELSE now() END
    FROM jsonb_to_recordset(${batch}::jsonb) AS r(n integer, i uuid, w uuid, p uuid, v bigint, e uuid, t text, b jsonb)
    ORDER BY r.n
    ON CONFLICT (endpoint_id, event_id) WHERE event_id IS NOT NULL DO NOTHING
  `.execute(db);
}
