// Idempotency keys expire after a day (src/sending/idempotency.ts): the index finds the expired ones
// without reading the whole table.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`.execute(db);
}
