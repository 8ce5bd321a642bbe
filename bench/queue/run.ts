// `npm run bench:queue`: what the delivery queue's SQL costs per email, without SMTP: N queued
// emails (on a table that may also hold sent history) claimed in batches by the worker's own claim
// and recorded by its own outcome statement, on PGlite and PostgreSQL. Reports CPU per email: this
// process's (PGlite runs in it) plus, on PostgreSQL, the server's. Without an SMTP sink and its
// round trips this is far steadier than bench:send, so it suits changes to the queue's SQL.
// Usage: npm run bench:queue -- [--n 20000] [--history 0] [--stores pg,pglite] [--claim 128]
//                               [--outcome-batch 50] [--rounds 3]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { claimDueEmails, recordOutcomes, type Outcome } from '../../src/delivery/queue.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { postgresCpuSeconds } from '../send/cpu-usage.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    history: { type: 'string', default: '0' },
    stores: { type: 'string', default: 'pg,pglite' },
    claim: { type: 'string', default: '128' },
    'outcome-batch': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
  },
});
const n = Number(values.n);
const history = Number(values.history);
const claimSize = Number(values.claim);
const outcomeBatch = Number(values['outcome-batch']);
const rounds = Number(values.rounds);
const stores = values.stores.split(',').filter(Boolean) as StoreName[];
for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`unknown store "${s}": pg or pglite`);
for (const [name, v] of Object.entries({ n, history, claimSize, outcomeBatch, rounds })) {
  if (!Number.isInteger(v) || v < (name === 'history' ? 0 : 1)) throw new Error(`--${name} must be a whole number, got ${v}`);
}

type Cost = { claimMs: number; outcomeMs: number; wallS: number };

/** CPU seconds of this process (to the microsecond) and, on PostgreSQL, of the server processes. */
const cpuNow = (store: StoreName) => {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6 + (store === 'pg' ? postgresCpuSeconds() : 0);
};

async function fill(db: Store['db'], projectId: string, count: number, status: 'sent' | 'queued'): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, count - i) }, newId);
    await sql`
      INSERT INTO emails (id, project_id, from_address, to_address, data, status, priority, next_attempt_at, message_id)
      SELECT r.id, ${projectId}, 'bench@example.com', r.id || '@example.org', '{"first":"Ada"}'::jsonb, ${status}, 1,
             ${status === 'queued' ? sql`now()` : sql`NULL`}, '<' || r.id || '@example.com>'
      FROM unnest(${ids}::uuid[]) AS r(id)
    `.execute(db);
  }
}

async function measure(storeName: StoreName): Promise<Cost> {
  const bench = await createStore(storeName);
  const store = await openStore(storeName === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
  try {
    const projectId = newId();
    await store.db.insertInto('projects').values({ id: projectId, name: 'bench' }).execute();
    await fill(store.db, projectId, history, 'sent');
    await fill(store.db, projectId, n, 'queued');
    let claimS = 0;
    let outcomeS = 0;
    let done = 0;
    const started = performance.now();
    while (done < n) {
      const c0 = cpuNow(storeName);
      const claimed = await claimDueEmails(store.db, 'bench', claimSize, 60_000);
      const c1 = cpuNow(storeName);
      claimS += c1 - c0;
      if (claimed.length === 0) throw new Error(`the queue ran dry after ${done} of ${n} emails`);
      for (let i = 0; i < claimed.length; i += outcomeBatch) {
        const outcomes: Outcome[] = claimed.slice(i, i + outcomeBatch).map((e) => ({
          emailId: e.id, projectId: e.project_id, status: 'sent', nextAttemptAt: null, transport: 'relay',
          // What a relay's acceptance records (decide-outcome.ts), with the worker's id.
          events: [{ projectId: e.project_id, emailId: e.id, type: 'sent', metadata: { transport: 'relay', attempt: 1, response: '250 2.0.0 Ok: queued as 4F2C81E0B3', worker: 'bench' } }],
        }));
        const o0 = cpuNow(storeName);
        await recordOutcomes(store.db, outcomes);
        outcomeS += cpuNow(storeName) - o0;
      }
      done += claimed.length;
    }
    return { claimMs: (claimS * 1000) / n, outcomeMs: (outcomeS * 1000) / n, wallS: (performance.now() - started) / 1000 };
  } finally {
    await store.close();
    await bench.destroy();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const results = new Map<StoreName, Cost[]>(stores.map((s) => [s, []]));
// Stores alternate within each round: this shared VM's speed drifts within minutes.
for (let round = 0; round < rounds; round++) {
  for (const s of stores) {
    const cost = await measure(s);
    results.get(s)!.push(cost);
    console.error(`round ${round + 1} ${s}: claim ${cost.claimMs.toFixed(3)}, outcome ${cost.outcomeMs.toFixed(3)} CPU ms/email, ${cost.wallS.toFixed(1)} s`);
  }
}
console.log(`\n${n.toLocaleString('en-US')} queued emails on a table also holding ${history.toLocaleString('en-US')} sent ones; claims of ${claimSize}, outcome statements of ${outcomeBatch}; median of ${rounds} rounds.\n`);
console.log('| store | claim, CPU ms per email | outcome, CPU ms per email | wall s (claim + outcome) |');
console.log('| --- | --- | --- | --- |');
for (const [s, costs] of results) {
  const fmt = (k: keyof Cost) => `${median(costs.map((c) => c[k])).toFixed(3)} (${costs.map((c) => c[k].toFixed(3)).join(', ')})`;
  console.log(`| ${s === 'pg' ? 'PostgreSQL (this process + server)' : 'PGlite (this process)'} | ${fmt('claimMs')} | ${fmt('outcomeMs')} | ${median(costs.map((c) => c.wallS)).toFixed(1)} |`);
}
