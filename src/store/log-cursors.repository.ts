// Where a reader of the event log (the rollups, the webhook outbox) has got to, each under its own
// name in rollup_cursors, held under a row lock for the length of a batch: two schedulers never
// take the same events, and the second continues from where the first committed.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';

/** The (txid, id) of the last event read: events/'s LogCursor, declared here since store/ imports no domain. */
export type LogCursor = { txid: string; id: number };

/** The cursor named `name`, locked until the transaction ends (created at the start of the log). */
export async function lockCursor(trx: Kysely<Database>, name: string): Promise<LogCursor> {
  await sql`INSERT INTO rollup_cursors (name, txid, event_id) VALUES (${name}, '0'::xid8, 0) ON CONFLICT (name) DO NOTHING`.execute(trx);
  const { rows } = await sql<{ txid: string; event_id: string | number }>`
    SELECT txid::text AS txid, event_id FROM rollup_cursors WHERE name = ${name} FOR UPDATE
  `.execute(trx);
  return { txid: rows[0]!.txid, id: Number(rows[0]!.event_id) };
}

export async function saveCursor(trx: Kysely<Database>, name: string, cursor: LogCursor): Promise<void> {
  await sql`
    UPDATE rollup_cursors SET txid = ${cursor.txid}::xid8, event_id = ${cursor.id}, updated_at = now() WHERE name = ${name}
  `.execute(trx);
}

/** The cursor without a lock: where the rollups stand, and since when. */
export async function readCursor(db: Kysely<Database>, name: string): Promise<LogCursor & { updatedAt?: Date }> {
  const { rows } = await sql<{ txid: string; event_id: string | number; updated_at: Date }>`
    SELECT txid::text AS txid, event_id, updated_at FROM rollup_cursors WHERE name = ${name}
  `.execute(db);
  const r = rows[0];
  return r ? { txid: r.txid, id: Number(r.event_id), updatedAt: new Date(r.updated_at) } : { txid: '0', id: 0 };
}
