// What folding the log costs: the whole generated log folded from scratch by the scheduler's own
// catch-up (batches of 2,000 events, as the loop takes them), against the ceiling of merely reading
// the same events in the same order and batches with the log's reader (readLog).
import { sql, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { readLog, type LogCursor } from '../../src/events/index.ts';
import { catchUpRollups, type RollupDeps } from '../../src/analytics/rollups/index.ts';
import { DEFAULT_BATCH } from '../../src/analytics/rollups/roll-up.ts';
import { cpuMeter, type CpuUse } from './cpu.ts';

export type Pass = { events: number; cpu: CpuUse; rows: RowCount };

export type RowCount = { statements: number; rows: number };

/**
 * Counts the statements run and the rows they return to this process, on a db given to the
 * rollups: how much of the log each event folded makes them read back (an email's whole log is
 * read each time one of its events is folded).
 */
export class RowCounter implements KyselyPlugin {
  statements = 0;
  rows = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.statements++;
    this.rows += args.result.rows.length;
    return args.result;
  }
  take(): RowCount {
    const count = { statements: this.statements, rows: this.rows };
    this.statements = 0;
    this.rows = 0;
    return count;
  }
}

export async function readWholeLog(db: Kysely<Database>, kind: 'pglite' | 'postgres'): Promise<Pass> {
  const meter = await cpuMeter(db, kind);
  let statements = 0;
  let after: LogCursor = { txid: '0', id: 0 };
  let events = 0;
  for (;;) {
    const rows = await readLog(db, { after, limit: DEFAULT_BATCH });
    statements++;
    if (rows.length === 0) break;
    events += rows.length;
    const last = rows.at(-1)!;
    after = { txid: last.txid, id: last.id };
  }
  return { events, cpu: await meter.end(), rows: { statements, rows: events } };
}

/** `deps.db` carries `counter`. */
export async function foldWholeLog(deps: RollupDeps, counter: RowCounter, kind: 'pglite' | 'postgres'): Promise<Pass> {
  const meter = await cpuMeter(deps.db, kind);
  counter.take();
  await catchUpRollups(deps, { timeoutMs: 120_000 });
  const read = counter.take();
  const cpu = await meter.end();
  const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events`.execute(deps.db);
  return { events: Number(rows[0]!.n), cpu, rows: read };
}

/** Every email is accepted once (its queued event): the rollups must say so, else the fold is wrong or incomplete. */
export async function checkFold(db: Kysely<Database>, emails: number): Promise<string | undefined> {
  const { rows } = await sql<{ accepted: number }>`SELECT coalesce(sum(accepted), 0)::bigint AS accepted FROM stats_hourly WHERE tag = ''`.execute(db);
  const accepted = Number(rows[0]!.accepted);
  return accepted === emails ? undefined : `the rollups count ${accepted} emails accepted, ${emails} were generated`;
}
