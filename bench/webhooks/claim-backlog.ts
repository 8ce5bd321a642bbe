// `npm run bench:webhook-claim`: what one claim reads on a store left as a receiver's outage leaves
// it: --emails emails with 4 deliveries each to one endpoint, the first of each awaiting its retry
// (due in 30 minutes), the 3 later ones waiting behind it. EXPLAIN ANALYZE of the claim statement
// (the rows its walk of the endpoint's due range reads) and the time of a claim, on PGlite (a fresh
// data dir) or PostgreSQL (a fresh database, dropped afterwards).
// Usage: npm run bench:webhook-claim -- [--store pg|pglite] [--emails 4000]
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { openStore } from '../../src/store/open-store.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { claimDueDeliveries, claimStatement } from '../../src/webhooks/sending/deliveries.repository.ts';
import { insertDeliveries, type NewDelivery } from '../../src/webhooks/outbox/outbox.repository.ts';
import { createStore, type StoreName } from '../send/stores.ts';

const { values } = parseArgs({ options: { store: { type: 'string', default: 'pglite' }, emails: { type: 'string', default: '4000' } } });
const emails = Number(values.emails);
const bench = await createStore(values.store as StoreName);
const store = await openStore(values.store === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
try {
  const db = store.db;
  const { projectId } = await ensureDefaultProject(db);
  const endpointId = randomUUID();
  await db.insertInto('webhook_endpoints').values({ id: endpointId, project_id: projectId, url: 'http://127.0.0.1:9/hook', secret_sealed: 'unused' }).execute();
  for (let i = 0; i < emails; i += 500) {
    const batch: NewDelivery[] = [];
    for (let j = 0; j < Math.min(500, emails - i); j++) {
      const emailId = randomUUID();
      for (const type of ['email.queued', 'email.sent', 'email.delivered', 'email.opened']) {
        batch.push({ id: randomUUID(), endpointId, projectId, eventId: null, emailId, eventType: type, payload: { type } });
      }
    }
    await insertDeliveries(db, batch);
  }
  // The outage: each email's first delivery failed and waits for its retry in 30 minutes.
  await sql`
    UPDATE webhook_deliveries d SET attempts = 3, next_attempt_at = now() + interval '30 minutes'
    WHERE NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.email_id = d.email_id AND e.seq < d.seq)
  `.execute(db);
  await sql`ANALYZE webhook_deliveries`.execute(db);
  const counts = await sql<{ due: number; all: number }>`SELECT count(*) FILTER (WHERE next_attempt_at <= now())::int AS due, count(*)::int AS all FROM webhook_deliveries`.execute(db);
  console.log(`deliveries: ${counts.rows[0]!.all}, due now: ${counts.rows[0]!.due}, claimable: 0`);
  const plan = await db.transaction().execute(async (trx) => {
    await sql`SELECT set_config('enable_seqscan', 'off', true)`.execute(trx);
    const statement = claimStatement(16, 60_000, 'bench');
    const explain = await sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS) ${statement}`.execute(trx);
    throw Object.assign(new Error('rollback'), { plan: explain.rows.map((r) => r['QUERY PLAN']).join('\n') });
  }).catch((e: { plan?: string }) => e.plan ?? String(e));
  console.log(plan);
  const started = performance.now();
  const runs = 20;
  let claimed = 0;
  for (let i = 0; i < runs; i++) claimed += (await claimDueDeliveries(db, 16, 60_000, 'bench')).length;
  console.log(`claim: ${((performance.now() - started) / runs).toFixed(1)} ms each over ${runs}, ${claimed} claimed`);
} finally {
  await store.close();
  await bench.destroy();
}
process.exit(0);
