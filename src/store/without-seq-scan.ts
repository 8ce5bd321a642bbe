// Reads that must go through their indexes even on a table the planner has no statistics for yet.
// Without statistics (a table just bulk-loaded, before autovacuum analyzes it; on PGlite, until its
// timed VACUUM ANALYZE) the planner takes `locked_by IS NOT NULL` for nearly every row, and counts
// the few leased emails of a million-row table with a sequential scan (some 400 ms instead of a
// few: docs/benchmarks.md, "System screen"). Turning sequential scans off for one transaction
// leaves the planner only the partial indexes those reads were made for; parallel workers go too,
// since the planner, expecting that many rows, would start two to read a handful.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './database.ts';

export function withoutSeqScan<T>(db: Kysely<Database>, read: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('enable_seqscan', 'off', true), set_config('max_parallel_workers_per_gather', '0', true)`.execute(trx);
    return read(trx);
  });
}
