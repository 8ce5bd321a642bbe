// `npm run bench:held-leases`: what the System screen's lease counts cost on a big emails table
// (issue 20): a fresh PostgreSQL database (dropped afterwards) with --emails emails, all of them
// history (delivered, no lease) but --held, which a worker holds; then each count GET /v1/system
// makes (emails, reply forwards, webhook deliveries held per process), bare and as the route runs
// them (sequential scans off), with its plan and time: first on the freshly loaded table (no
// statistics yet: autovacuum has not analyzed it) and again after ANALYZE. Prints the plans
// (stderr) and a markdown table.
// Usage: npm run bench:held-leases -- [--emails 1000000] [--held 40] [--runs 20]
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { openStore } from '../../src/store/open-store.ts';
import type { Database } from '../../src/store/database.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { countHeldEmails } from '../../src/delivery/index.ts';
import { countHeldForwards } from '../../src/inbound/index.ts';
import { countHeldDeliveries } from '../../src/webhooks/index.ts';
import { withoutSeqScan } from '../../src/store/without-seq-scan.ts';
import { createStore } from '../send/stores.ts';
import { machineInfo, markdownTable, fixed } from '../send/report.ts';

const { values } = parseArgs({ options: { emails: { type: 'string', default: '1000000' }, held: { type: 'string', default: '40' }, runs: { type: 'string', default: '20' } } });
const emails = Number(values.emails);
const held = Number(values.held);
const runs = Number(values.runs);

const COUNTS = {
  emails: { fn: countHeldEmails, plan: sql`SELECT locked_by, count(*) FROM emails WHERE locked_by IS NOT NULL GROUP BY locked_by` },
  reply_forwards: { fn: countHeldForwards, plan: sql`SELECT forward_locked_by, count(*) FROM inbound_messages WHERE forward_locked_by IS NOT NULL GROUP BY forward_locked_by` },
  webhook_deliveries: { fn: countHeldDeliveries, plan: sql`SELECT locked_by, count(*) FROM webhook_deliveries WHERE locked_by IS NOT NULL GROUP BY locked_by` },
};

// Each count bare, and as GET /v1/system runs it (withoutSeqScan: a transaction with sequential scans off).
async function measure(db: Kysely<Database>, label: string) {
  const rows: string[][] = [];
  for (const guarded of [false, true]) {
    const run = <T>(read: (d: Kysely<Database>) => Promise<T>) => (guarded ? withoutSeqScan(db, read) : read(db));
    for (const [name, { fn, plan }] of Object.entries(COUNTS)) {
      const explained = await run((d) => sql<{ 'QUERY PLAN': string }>`EXPLAIN (ANALYZE, BUFFERS) ${plan}`.execute(d));
      console.error(`\n-- ${label}, ${guarded ? 'as the route runs it' : 'bare'}: ${name}\n${explained.rows.map((r) => r['QUERY PLAN']).join('\n')}`);
      const times: number[] = [];
      let result = new Map<string, number>();
      for (let i = 0; i < runs; i++) {
        const started = performance.now();
        result = await run(fn);
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const scan = explained.rows.map((r) => r['QUERY PLAN']).find((l) => /Scan/.test(l))?.trim().replace(/^->\s*/, '').replace(/\s+\(cost.*$/, '') ?? '';
      rows.push([label, guarded ? 'as GET /v1/system runs it' : 'bare', name, scan, fixed(times[Math.floor(times.length / 2)]!, 2), fixed(times.at(-1)!, 2), String([...result.values()].reduce((a, b) => a + b, 0))]);
    }
  }
  return rows;
}

const bench = await createStore('pg');
const store = await openStore({ databaseUrl: bench.env.DATABASE_URL });
try {
  const db = store.db;
  const { projectId } = await ensureDefaultProject(db);
  const loadStarted = Date.now();
  await sql`
    INSERT INTO emails (id, project_id, from_address, to_address, subject, status, priority, message_id, created_at)
    SELECT gen_random_uuid(), ${projectId}, 'shop@shop.example', 'p' || g || '@example.org', 'Receipt', 'delivered', 1, '<' || g || '@shop.example>', now() - make_interval(secs => g)
    FROM generate_series(1, ${emails}) g
  `.execute(db);
  await sql`
    UPDATE emails SET status = 'queued', next_attempt_at = now() + interval '2 minutes', locked_by = 'worker-1:42:abcdef', locked_until = now() + interval '2 minutes'
    WHERE id IN (SELECT id FROM emails ORDER BY created_at DESC LIMIT ${held})
  `.execute(db);
  console.error(`loaded ${emails} emails (${held} held) in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s`);
  const fresh = await measure(db, 'not analyzed');
  await sql`ANALYZE emails, inbound_messages, webhook_deliveries`.execute(db);
  const analyzed = await measure(db, 'analyzed');
  console.log(`\n## held leases (${new Date().toISOString().slice(0, 10)})\n`);
  console.log(Object.entries(machineInfo()).map(([k, v]) => `- ${k}: ${v}`).join('\n'));
  console.log(`- options: --emails ${emails} --held ${held} --runs ${runs}\n`);
  console.log(markdownTable(['table statistics', 'query', 'count', 'plan', 'p50 (ms)', 'max (ms)', 'held'], [...fresh, ...analyzed]));
} finally {
  await store.close();
  await bench.destroy();
}
