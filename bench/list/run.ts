// `npm run bench:list`: what a page of the email log (GET /v1/emails) costs as the table grows. On
// PGlite a page holds the one thread the queue also needs, so it must cost the same on a large
// table as on a small one. For each store and each filter, the first page of 50 on a small table
// (the ceiling) and on a large one, each in three states: without statistics (a store just
// filled), after an ANALYZE alone (statistics but no visibility map: PostgreSQL's autovacuum can
// leave that), and after VACUUM ANALYZE (what PGlite's maintenance leaves).
// The table: a campaign of delivered emails (every 100th or so to ann@example.org, the oldest one
// bounced), then a newer campaign of queued ones, so delivered and sent emails lie behind the
// queue; then another project's emails, as many again, in front of all of them.
// Usage: npm run bench:list -- [--sizes 2000,200000] [--stores pg,pglite] [--reps 15]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { listEmails, type EmailFilter } from '../../src/sending/index.ts';
import { newId } from '../../src/shared/ids.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { fillEmails } from '../queue/fill-emails.ts';

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '2000,200000' },
    stores: { type: 'string', default: 'pg,pglite' },
    reps: { type: 'string', default: '15' },
  },
});
const sizes = values.sizes.split(',').map(Number);
const reps = Number(values.reps);
const stores = values.stores.split(',').filter(Boolean) as StoreName[];
for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`unknown store "${s}": pg or pglite`);
if (sizes.length !== 2 || !sizes.every((n) => Number.isInteger(n) && n >= 200 && n % 2 === 0) || sizes[0]! >= sizes[1]!) {
  throw new Error(`--sizes must be two even whole numbers of at least 200, small then large, got ${values.sizes}`);
}
if (!Number.isInteger(reps) || reps < 1) throw new Error(`--reps must be a whole number of at least 1, got ${values.reps}`);

type Table = { projectId: string; older: string; newer: string };
type Case = { name: string; filter: (t: Table) => Partial<EmailFilter> };
const CASES: Case[] = [
  { name: 'no filter', filter: () => ({}) },
  { name: 'status=delivered (behind the queue)', filter: () => ({ status: 'delivered' }) },
  { name: 'status=sent (none)', filter: () => ({ status: 'sent' }) },
  { name: 'status=queued', filter: () => ({ status: 'queued' }) },
  { name: 'status=bounced (the oldest email)', filter: () => ({ status: 'bounced' }) },
  { name: 'campaign_id (older)', filter: (t) => ({ campaignId: t.older }) },
  { name: 'campaign_id (older) & status=delivered', filter: (t) => ({ campaignId: t.older, status: 'delivered' }) },
  { name: 'campaign_id (newer) & status=sent (none)', filter: (t) => ({ campaignId: t.newer, status: 'sent' }) },
  { name: 'to', filter: () => ({ to: 'ann@example.org' }) },
  { name: 'to & status=bounced', filter: () => ({ to: 'ann@example.org', status: 'bounced' }) },
];

async function fill(store: Store, size: number): Promise<Table> {
  const db = store.db;
  const projectId = newId();
  await db.insertInto('projects').values({ id: projectId, name: 'bench' }).execute();
  const campaign = async () => {
    const id = newId();
    await db.insertInto('campaigns').values({ id, project_id: projectId, name: 'bench', from_address: 'bench@example.com', subject: 's', status: 'sending', track_opens: true, track_clicks: true, recipient_count: 0 }).execute();
    return id;
  };
  const older = await campaign();
  await fillEmails(db, projectId, 1, 'delivered', older);
  await sql`UPDATE emails SET status = 'bounced' WHERE project_id = ${projectId}`.execute(db);
  await fillEmails(db, projectId, size / 2 - 1, 'delivered', older);
  await sql`UPDATE emails SET to_address = 'ann@example.org' WHERE campaign_id = ${older} AND (status = 'bounced' OR right(id::text, 2) = '00')`.execute(db);
  const newer = await campaign();
  await fillEmails(db, projectId, size / 2, 'queued', newer);
  const other = newId();
  await db.insertInto('projects').values({ id: other, name: 'another' }).execute();
  await fillEmails(db, other, size, 'delivered');
  return { projectId, older, newer };
}

/** Median wall ms of the first page, after one unmeasured call. */
async function pageMs(store: Store, table: Table, c: Case): Promise<number> {
  const list = () => listEmails(store.db, table.projectId, { limit: 50, ...c.filter(table) });
  await list();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await list();
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
}

const STATES = ['no statistics', 'ANALYZE', 'VACUUM ANALYZE'] as const;
type Result = Map<string, number>; // `${state}|${case}` -> ms
async function measure(storeName: StoreName, size: number): Promise<Result> {
  const bench = await createStore(storeName);
  const store = await openStore(storeName === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
  const result: Result = new Map();
  try {
    const table = await fill(store, size);
    for (const state of STATES) {
      if (state !== 'no statistics') await sql.raw(`${state} emails`).execute(store.db);
      for (const c of CASES) result.set(`${state}|${c.name}`, await pageMs(store, table, c));
    }
    return result;
  } finally {
    await store.close();
    await bench.destroy();
  }
}

const [small, large] = sizes as [number, number];
const fmt = (n: number) => n.toLocaleString('en-US');
for (const s of stores) {
  const smallR = await measure(s, small);
  const largeR = await measure(s, large);
  console.log(`\n${s === 'pg' ? 'PostgreSQL' : 'PGlite'}: first page of 50, median of ${reps} calls, ms; ceiling = the same page on a table of ${fmt(small)} (sizes count the project's emails; another project has as many again)\n`);
  console.log(`| filter | ${STATES.map((st) => `${st}: ${fmt(small)} / ${fmt(large)} (ratio)`).join(' | ')} |`);
  console.log(`| --- |${STATES.map(() => ' --- |').join('')}`);
  for (const c of CASES) {
    const cell = (state: string) => {
      const a = smallR.get(`${state}|${c.name}`)!;
      const b = largeR.get(`${state}|${c.name}`)!;
      return `${a.toFixed(1)} / ${b.toFixed(1)} (${(b / a).toFixed(2)})`;
    };
    console.log(`| ${c.name} | ${STATES.map(cell).join(' | ')} |`);
  }
}
