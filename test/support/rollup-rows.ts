// Rollup rows written straight into the stats tables, for tests of what reads them (the engine that
// folds the log into them has its own tests).
import type { Kysely } from 'kysely';
import type { Database, StatsHourlyCounter } from '../../src/store/database.ts';

export const NIL_CAMPAIGN = '00000000-0000-0000-0000-000000000000';

type Dims = { project_id: string; hour: Date | string; campaign_id?: string; tag?: string; sending_domain?: string; provider?: string };

export async function insertHourly(db: Kysely<Database>, rows: Array<Dims & Partial<Record<StatsHourlyCounter, number>>>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('stats_hourly').values(rows.map((r) => ({ campaign_id: NIL_CAMPAIGN, tag: '', sending_domain: 'shop.example', provider: 'gmail', ...r, hour: new Date(r.hour) }))).execute();
}

export async function insertMachine(db: Kysely<Database>, rows: Array<Dims & { kind: 'open' | 'click'; why: string; n: number }>): Promise<void> {
  if (rows.length === 0) return;
  await db.insertInto('stats_machine_hourly').values(rows.map((r) => ({ campaign_id: NIL_CAMPAIGN, tag: '', sending_domain: 'shop.example', provider: 'gmail', ...r, hour: new Date(r.hour) }))).execute();
}
