// Folds the log until the rollups include every event written before the call: for commands and
// tests that need stats to be current now rather than within the scheduler's next beat.
import { sql } from 'kysely';
import { isBefore } from '../../events/index.ts';
import { rollUpBatch, type RollupDeps } from './roll-up.ts';
import { createEmailLogCache } from './email-log-cache.ts';
import { createDimsInterner } from './fold-dims.ts';

export async function catchUpRollups(deps: RollupDeps, options: { timeoutMs?: number } = {}): Promise<void> {
  const { rows } = await sql<{ txid: string; id: string | number }>`
    SELECT e.txid::text AS txid, e.id FROM events e ORDER BY e.txid DESC, e.id DESC LIMIT 1
  `.execute(deps.db);
  const target = rows[0] && { txid: rows[0].txid, id: Number(rows[0].id) };
  if (!target) return;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const batch = { ...deps, cache: deps.cache ?? createEmailLogCache(), interner: deps.interner ?? createDimsInterner() };
  for (;;) {
    const { events, cursor } = await rollUpBatch(batch);
    // Every event committed before the call lies at or before the last in log order.
    if (!isBefore(cursor, target)) return;
    if (events > 0) continue;
    if (Date.now() > deadline) throw new Error('rollups did not catch up: a transaction holds the log back');
    // Behind only when an older transaction is still open somewhere on the server (see event-log.repository.ts).
    await new Promise((r) => setTimeout(r, 20));
  }
}
