// Counts the open and click events a store holds, after Sendtrail stopped: each acknowledged hit
// must be there (back-filled opens are inferred, not hits, so they are left out).
import { sql } from 'kysely';
import { openStore } from '../../src/store/open-store.ts';

export async function countHits(env: Record<string, string>): Promise<{ opens: number; clicks: number }> {
  const store = await openStore(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : { dataDir: env.SENDTRAIL_DATA_DIR! });
  try {
    const rows = await store.db
      .selectFrom('events')
      .select(['event_type', (eb) => eb.fn.countAll<string>().as('n')])
      .where('event_type', 'in', ['open', 'click'])
      .where(sql<boolean>`coalesce(metadata->>'backfilled', 'false') <> 'true'`)
      .groupBy('event_type')
      .execute();
    const n = (type: string) => Number(rows.find((r) => r.event_type === type)?.n ?? 0);
    return { opens: n('open'), clicks: n('click') };
  } finally {
    await store.close();
  }
}
