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
  await db.insertInto('stats_hourly').values(rows.map((r) => ({ campaign_id: NIL_CAMPAIGN, tag: '', sending_domain: 'shop.example', provider: 'gmail', ...r, hour: new Date(r.hour) }))).execute();
  await sumIntoProjectTables(db);
}

export async function insertMachine(db: Kysely<Database>, rows: Array<Dims & { kind: 'open' | 'click'; why: string; n: number }>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('stats_machine_hourly').values(rows.map((r) => ({ campaign_id: NIL_CAMPAIGN, tag: '', sending_domain: 'shop.example', provider: 'gmail', ...r, hour: new Date(r.hour) }))).execute();
  await sumIntoProjectTables(db);
}

/** The project-wide tables made again from the detailed ones, as migration 016 fills them. */
async function sumIntoProjectTables(db: Kysely<Database>): Promise<void> {
  const counters = sql.raw(STATS_HOURLY_COUNTERS.join(', '));
  const sums = sql.raw(STATS_HOURLY_COUNTERS.map((c) => `sum(${c})`).join(', '));
  await sql`
    DELETE FROM stats_project_hourly;
    DELETE FROM stats_machine_project_hourly;
    INSERT INTO stats_project_hourly (project_id, hour, tag, provider, ${counters})
      SELECT project_id, hour, tag, provider, ${sums} FROM stats_hourly GROUP BY 1, 2, 3, 4;
    INSERT INTO stats_machine_project_hourly (project_id, hour, tag, provider, kind, why, n)
      SELECT project_id, hour, tag, provider, kind, why, sum(n) FROM stats_machine_hourly GROUP BY 1, 2, 3, 4, 5, 6;
  `.execute(db);
}
