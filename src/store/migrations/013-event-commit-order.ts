// The order in which events became visible, for readers that follow the log (the live stream,
// rollups): each row keeps the id of the transaction that wrote it. A reader past a cursor of
// (txid, id) reads only rows whose transaction is older than every transaction still running
// (pg_snapshot_xmin), so a transaction that commits after a later one cannot slip in behind the
// cursor, which a plain `id > cursor` allows: ids are taken at insert, not at commit.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    ALTER TABLE events ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id();
    CREATE INDEX events_commit_order ON events (txid, id);
  `.execute(db);
}
