// A campaign's emails per status (migration 008's 'status:<status>' counters), kept by triggers in
// the transaction of every status move: exact the moment an email moves, and one indexed read
// however many emails the campaign has. Engagement is the rollups' (analytics/).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export async function readStatusCounts(db: Kysely<Database>, campaignId: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('campaign_counters')
    .select(['counter', 'n'])
    .where('campaign_id', '=', campaignId)
    .where('counter', 'like', 'status:%')
    .where('n', '<>', 0)
    .execute();
  return new Map(rows.map(({ counter, n }) => [counter.slice('status:'.length), Number(n)]));
}
