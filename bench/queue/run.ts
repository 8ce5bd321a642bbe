// `npm run bench:queue`: what the delivery queue's SQL costs per email, without SMTP: N queued
// emails (on a table that may also hold sent history) claimed in batches by the worker's own claim
// and recorded by its own outcome statement, on PGlite and PostgreSQL. Reports CPU per email: this
// process's (PGlite runs in it) plus, on PostgreSQL, the server's. Without an SMTP sink and its
// round trips this is far steadier than bench:send, so it suits changes to the queue's SQL.
// Usage: npm run bench:queue -- [--n 20000] [--history 0] [--stores pg,pglite] [--claim 128]
//                               [--outcome-batch 50] [--rounds 3] [--campaign]
// --campaign puts every email in a campaign, as bench:send does, so the campaign's indexes take
// their entries too.
import { parseArgs } from 'node:util';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { claimDueEmails, recordOutcomes, type Outcome } from '../../src/delivery/queue.repository.ts';
import { newId } from '../../src/shared/ids.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { fillEmails } from './fill-emails.ts';
import { postgresCpuSeconds } from '../send/cpu-usage.ts';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '20000' },
    history: { type: 'string', default: '0' },
    stores: { type: 'string', default: 'pg,pglite' },
    claim: { type: 'string', default: '128' },
    'outcome-batch': { type: 'string', default: '50' },
    rounds: { type: 'string', default: '3' },
    campaign: { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const history = Number(values.history);
const claimSize = Number(values.claim);
const outcomeBatch = Number(values['outcome-batch']);
const rounds = Number(values.rounds);
const stores = values.stores.split(',').filter(Boolean) as StoreName[];
for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`unknown store "${s}": pg or pglite`);
for (const [name, v] of Object.entries({ n, history, claim: claimSize, 'outcome-batch': outcomeBatch, rounds })) {
  const least = name === 'history' ? 0 : 1;
  if (!Number.isInteger(v) || v < least) throw new Error(`--${name} must be a whole number of at least ${least}, got ${v}`);
}

type Cost = { claimMs: number; outcomeMs: number; wallS: number };

const ownCpu = () => {
  const own = process.cpuUsage();
  return (own.user + own.system) / 1e6;
};

/**
 * CPU seconds a statement costs: this process's (to the microsecond) and, on PostgreSQL, the
 * server's. The server's are read by walking /proc, which costs this process CPU too: that walk
 * is kept outside the window of this process's own reading.
 */
async function cpuOf<T>(store: StoreName, work: () => Promise<T>): Promise<{ result: T; seconds: number }> {
  const server0 = store === 'pg' ? postgresCpuSeconds() : 0;
  const own0 = ownCpu();
  const result = await work();
  const own = ownCpu() - own0;
  const server = store === 'pg' ? postgresCpuSeconds() - server0 : 0;
  return { result, seconds: own + server };
}

async function measure(storeName: StoreName): Promise<Cost> {
  const bench = await createStore(storeName);
  const store = await openStore(storeName === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
  try {
    const projectId = newId();
    await store.db.insertInto('projects').values({ id: projectId, name: 'bench' }).execute();
    let campaignId: string | null = null;
    if (values.campaign) {
      campaignId = newId();
      await store.db.insertInto('campaigns').values({
        id: campaignId, project_id: projectId, name: 'bench', from_address: 'bench@example.com', subject: 's', status: 'sending',
        track_opens: true, track_clicks: true, recipient_count: 0,
      }).execute();
    }
    await fillEmails(store.db, projectId, history, 'sent', campaignId);
    await fillEmails(store.db, projectId, n, 'queued', campaignId);
    let claimS = 0;
    let outcomeS = 0;
    let done = 0;
    const started = performance.now();
    while (done < n) {
      const claim = await cpuOf(storeName, () => claimDueEmails(store.db, 'bench', claimSize, 60_000));
      const claimed = claim.result;
      claimS += claim.seconds;
      if (claimed.length === 0) throw new Error(`the queue ran dry after ${done} of ${n} emails`);
      for (let i = 0; i < claimed.length; i += outcomeBatch) {
        const outcomes: Outcome[] = claimed.slice(i, i + outcomeBatch).map((e) => ({
          emailId: e.id, projectId: e.project_id, status: 'sent', nextAttemptAt: null, transport: 'relay',
          // What a relay's acceptance records (decide-outcome.ts), with the worker's id.
          events: [{ projectId: e.project_id, emailId: e.id, type: 'sent', metadata: { transport: 'relay', attempt: 1, response: '250 2.0.0 Ok: queued as 4F2C81E0B3', worker: 'bench' } }],
        }));
        outcomeS += (await cpuOf(storeName, () => recordOutcomes(store.db, outcomes))).seconds;
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
console.log(`\n${n.toLocaleString('en-US')} queued emails${values.campaign ? ' of a campaign' : ''} on a table also holding ${history.toLocaleString('en-US')} sent ones; claims of ${claimSize}, outcome statements of ${outcomeBatch}; median of ${rounds} rounds.\n`);
console.log('| store | claim, CPU ms per email | outcome, CPU ms per email | wall s (claim + outcome) |');
console.log('| --- | --- | --- | --- |');
for (const [s, costs] of results) {
  const fmt = (k: keyof Cost) => `${median(costs.map((c) => c[k])).toFixed(3)} (${costs.map((c) => c[k].toFixed(3)).join(', ')})`;
  console.log(`| ${s === 'pg' ? 'PostgreSQL (this process + server)' : 'PGlite (this process)'} | ${fmt('claimMs')} | ${fmt('outcomeMs')} | ${median(costs.map((c) => c.wallS)).toFixed(1)} |`);
}
