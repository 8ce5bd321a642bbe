// Rollup rows written straight into the stats tables, for tests of what reads them (the engine that
// folds the log into them has its own tests), and added to the project-wide tables as the scheduler
// would add them.
import { sql, type Kysely } from 'kysely';
import { STATS_HOURLY_COUNTERS } from '../../src/analytics/rollups/index.ts';
import type { Database, StatsHourlyCounter } from '../../src/store/database.ts';

export const NIL_CAMPAIGN = '00000000-0000-0000-0000-000000000000';

type Dims = { project_id: string; hour: Date | string; campaign_id?: string; tag?: string; sending_domain?: string; provider?: string };

export async function insertHourly(db: Kysely<Database>, rows: Array<Dims & Partial<Record<StatsHourlyCounter, number>>>): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(db, 'stats_hourly', rows.map((r) => ({ campaign_id: NIL_CAMPAIGN, tag: '', sending_domain: 'shop.example', provider: 'gmail', ...r, hour: new Date(r.hour) })));
  await sumIntoProjectTables(db, projectsOf(rows));
}

export async function insertMachine(db: Kysely<Database>, rows: Array<Dims & { kind: 'open' | 'click'; why: string; n: number }>): Promise<void> {
  if (rows.length === 0) return;
  await insertRows(db, 'stats_machine_hourly', rows.map((r) => ({ campaign_id: NIL_CAMPAIGN, tag: '', sending_domain: 'shop.example', provider: 'gmail', ...r, hour: new Date(r.hour) })));
  await sumIntoProjectTables(db, projectsOf(rows));
}

/**
 * The rows as one JSON parameter, read back as the table's row type: tens of thousands of rows in
 * one statement, where a multi-row VALUES of as many parameters took PGlite seconds per 10,000.
 * A counter some rows leave out is 0 in those rows, as its column's default.
 */
async function insertRows(db: Kysely<Database>, table: 'stats_hourly' | 'stats_machine_hourly', rows: Array<Record<string, unknown>>): Promise<void> {
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const full = rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? 0])));
  const list = sql.join(columns.map((c) => sql.ref(c)));
  await sql`
    INSERT INTO ${sql.table(table)} (${list})
    SELECT ${list} FROM jsonb_populate_recordset(NULL::${sql.table(table)}, ${JSON.stringify(full)}::jsonb)
  `.execute(db);
}

const projectsOf = (rows: Dims[]) => [...new Set(rows.map((r) => r.project_id))];

/**
 * The project-wide rows of these projects made again from the detailed ones, as migration 016 fills
 * them. Only theirs: the tables hold every earlier test's projects, and summing them all again after
 * each insert made a file's set-up grow with the square of its rows.
 */
async function sumIntoProjectTables(db: Kysely<Database>, projectIds: string[]): Promise<void> {
  const counters = sql.raw(STATS_HOURLY_COUNTERS.join(', '));
  const sums = sql.raw(STATS_HOURLY_COUNTERS.map((c) => `sum(${c})`).join(', '));
  const projects = sql`(${sql.join(projectIds)})`;
  await sql`DELETE FROM stats_project_hourly WHERE project_id IN ${projects}`.execute(db);
  await sql`DELETE FROM stats_machine_project_hourly WHERE project_id IN ${projects}`.execute(db);
  await sql`
    INSERT INTO stats_project_hourly (project_id, hour, tag, provider, ${counters})
      SELECT project_id, hour, tag, provider, ${sums} FROM stats_hourly WHERE project_id IN ${projects} GROUP BY 1, 2, 3, 4
  `.execute(db);
  await sql`
    INSERT INTO stats_machine_project_hourly (project_id, hour, tag, provider, kind, why, n)
      SELECT project_id, hour, tag, provider, kind, why, sum(n) FROM stats_machine_hourly WHERE project_id IN ${projects} GROUP BY 1, 2, 3, 4, 5, 6
  `.execute(db);
}
