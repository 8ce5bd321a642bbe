// Webhook deliveries are claimed per endpoint (src/webhooks/sending/deliveries.repository.ts): for
// each endpoint with room under its cap of requests in flight, its first due deliveries, found by
// webhook_deliveries_endpoint_due as one short range per endpoint. The claim used to walk the due
// rows of every endpoint in one order (webhook_deliveries_due), past the whole backlog of an
// endpoint that was full; nothing reads that index any more, and each claim and attempt would
// keep writing it, so it goes.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX webhook_deliveries_endpoint_due ON webhook_deliveries (endpoint_id, next_attempt_at, seq) WHERE next_attempt_at IS NOT NULL;
    DROP INDEX webhook_deliveries_due;
  `.execute(db);
}
