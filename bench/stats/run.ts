// `npm run bench:stats`: the stats read side and the rollups behind it, on one project holding a
// month of mail (1,000,000 emails, about 5,000,000 events, generated in bulk by SQL: generate.ts),
// on PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards) and on PGlite (a fresh
// file-backed data dir, opened as Sendtrail opens it). For each store:
//   1. generation, then VACUUM ANALYZE (what autovacuum or PGlite's upkeep leaves);
//   2. the ceiling of the rollups: reading the whole log with the log's reader (readLog), CPU per
//      1,000 events;
//   3. the rollups folding the whole log from scratch (catchUpRollups), CPU per 1,000 events
//      (this process, which runs PGlite, plus the database's PostgreSQL backends) and rows read back
//      per event, then VACUUM ANALYZE;
//   4. the queries through HTTP (Sendtrail's buildServer on 127.0.0.1, one client, one request at a
//      time, interleaved rounds): campaign stats (target p99 < 50 ms), a 30-day hourly series by
//      provider (target p99 < 100 ms), campaign links; floors: a bare route on the same server
//      answering {"ok":true}, and one answering each endpoint's own bytes;
//   5. the rollup lag while a writer appends 3,000 events/s for 60 s with the scheduler's loop
//      running (target < 2 s), after the writer alone for 10 s (its own CPU per event).
// Full size takes about 25-30 minutes for both stores; --emails 50000 about 6.
// Usage: npm run bench:stats -- [--store pg|pglite|both] [--emails 1000000] [--requests 300]
//                               [--warmup 30] [--rate 3000] [--lag-seconds 60]
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { createProviderLookup } from '../../src/analytics/providers.ts';
import { clientOf } from '../../src/analytics/clients.ts';
import type { RollupDeps } from '../../src/analytics/rollups/index.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { cleanUpOnSignals, onInterrupt } from '../send/cleanup.ts';
import { fixed, machineInfo, markdownTable, whole } from '../send/report.ts';
import { generate, PERIOD_DAYS, type Generated } from './generate.ts';
import { checkFold, foldWholeLog, readWholeLog, RowCounter, type Pass } from './rollup-cost.ts';
import { measureEndpoints, type EndpointResult } from './queries.ts';
import { measureLag, type LagResult } from './lag.ts';

const API_KEY = 'st_bench_stats_key_0123456789abcdef';
const TARGETS = { campaignStatsP99: 50, statsP99: 100, lagMs: 2000 };

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    emails: { type: 'string', default: '1000000' },
    requests: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '30' },
    rate: { type: 'string', default: '3000' },
    'lag-seconds': { type: 'string', default: '60' },
  },
});
const stores: StoreName[] = values.store === 'both' ? ['pg', 'pglite'] : [values.store as StoreName];
for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`--store must be pg, pglite or both, got ${values.store}`);
const emails = Number(values.emails);
const requests = Number(values.requests);
const warmup = Number(values.warmup);
const rate = Number(values.rate);
const lagSeconds = Number(values['lag-seconds']);
for (const [name, v, least] of [['emails', emails, 1000], ['requests', requests, 10], ['warmup', warmup, 0], ['rate', rate, 10], ['lag-seconds', lagSeconds, 1]] as const) {
  if (!Number.isInteger(v) || v < least) throw new Error(`--${name} must be a whole number of at least ${least}, got ${v}`);
}

const began = Date.now();
const log = (msg: string) => console.error(`[bench:stats +${((Date.now() - began) / 1000).toFixed(0)}s] ${msg}`);

type StoreRun = {
  store: StoreName;
  generated: Generated;
  dbMb: number;
  readLog: Pass;
  fold: Pass;
  foldProblem?: string;
  vacuumAfterFoldS: number;
  queries: EndpointResult[];
  lag?: LagResult;
  lagError?: string;
};

async function runStore(name: StoreName): Promise<StoreRun> {
  const bench = await createStore(name);
  const dropStore = onInterrupt(() => bench.destroy());
  let store: Store | undefined;
  try {
    store = await openStore(name === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
    const opened = store;
    const closeStore = onInterrupt(() => opened.close());
    const { db } = store;
    const kind = store.kind;
    const { projectId } = await ensureDefaultProject(db, API_KEY);

    log(`${name}: generating ${emails.toLocaleString('en-US')} emails and their events`);
    const generated = await generate(db, projectId, emails, (m) => log(`${name}: ${m}`));
    const dbMb = Number((await sql<{ b: number }>`SELECT pg_database_size(current_database())::bigint AS b`.execute(db)).rows[0]!.b) / 2 ** 20;
    log(`${name}: ${generated.events.toLocaleString('en-US')} events in ${(generated.seconds.emails + generated.seconds.log + generated.seconds.vacuum).toFixed(1)} s; database ${dbMb.toFixed(0)} MB`);

    const readLog = await readWholeLog(db, kind);
    log(`${name}: readLog over the whole log: ${readLog.cpu.wallS.toFixed(1)} s`);
    // The rollups' db counts the rows they read back; the provider lookup is the scheduler's.
    const counter = new RowCounter();
    const deps: RollupDeps = { db: db.withPlugin(counter), providers: createProviderLookup({ db, lookupMx: false }), clientOf };
    const fold = await foldWholeLog(deps, counter, kind);
    log(`${name}: rollups folded the whole log in ${fold.cpu.wallS.toFixed(1)} s`);
    const foldProblem = await checkFold(db, emails);
    const started = performance.now();
    await sql`VACUUM (ANALYZE)`.execute(db);
    const vacuumAfterFoldS = (performance.now() - started) / 1000;

    const to = new Date();
    const from = new Date(to.getTime() - PERIOD_DAYS * 86_400_000);
    const c = generated.campaigns;
    const sample = [c[0]!, c[Math.floor(c.length / 2)]!, c.at(-1)!].map((x) => x.id);
    log(`${name}: queries, ${warmup} rounds of warm-up then ${requests}`);
    const queries = await measureEndpoints(db, API_KEY, [
      { name: 'campaign stats', paths: sample.map((id) => `/v1/campaigns/${id}/stats`), auth: true, payloadFloor: true },
      {
        name: '30-day hourly series by provider',
        paths: [`/v1/stats?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}&granularity=hour&group_by=provider`],
        auth: true,
        payloadFloor: true,
      },
      { name: 'campaign links', paths: sample.map((id) => `/v1/campaigns/${id}/links`), auth: true },
    ], { warmup, requests }, log);

    let lag: LagResult | undefined;
    let lagError: string | undefined;
    log(`${name}: rollup lag at ${rate.toLocaleString('en-US')} events/s for ${lagSeconds} s`);
    try {
      lag = await measureLag(store, deps, counter, projectId, { rate, seconds: lagSeconds }, log);
    } catch (err) {
      lagError = (err as Error).message;
      log(`${name}: lag run failed: ${lagError}`);
    }
    await store.close();
    closeStore();
    store = undefined;
    return { store: name, generated, dbMb, readLog, fold, foldProblem, vacuumAfterFoldS, queries, lag, lagError };
  } finally {
    await store?.close().catch(() => {});
    await bench.destroy();
    dropStore();
  }
}

const label = (s: StoreName) => (s === 'pg' ? 'PostgreSQL' : 'PGlite');
const perThousand = (seconds: number, events: number) => (seconds * 1e6) / events;
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

function report(runs: StoreRun[], explainFile: string): string {
  const commit = execSync('git rev-parse --short HEAD').toString().trim();
  const dirty = execSync('git status --porcelain -- src bench/stats').toString().trim() ? ' (+ uncommitted changes)' : '';
  const m = machineInfo();
  const argv = process.argv.slice(2).join(' ');
  const out: string[] = [];
  out.push(`bench:stats · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · commit ${commit}${dirty} · ${m.cpu}, ${(m.cores ?? '?').replace(' (nproc)', '')} cores, ${m.memory}, Node ${m.node} · \`npm run bench:stats${argv ? ` -- ${argv}` : ''}\` · ${fixed((Date.now() - began) / 60_000)} min`);
  out.push('');
  out.push(markdownTable(
    ['store', 'emails', 'events', 'events per email', 'generation s (emails and events / log in time order / VACUUM ANALYZE)', 'database MB', 'VACUUM ANALYZE after the fold, s'],
    runs.map((r) => [label(r.store), whole(r.generated.emails), whole(r.generated.events), fixed(r.generated.events / r.generated.emails, 2),
      `${fixed(r.generated.seconds.emails + r.generated.seconds.log + r.generated.seconds.vacuum)} (${fixed(r.generated.seconds.emails)} / ${fixed(r.generated.seconds.log)} / ${fixed(r.generated.seconds.vacuum)})`,
      whole(r.dbMb), fixed(r.vacuumAfterFoldS)]),
  ));
  out.push('');
  out.push(`Queries: ${requests} interleaved rounds after ${warmup} of warm-up, one request at a time on a kept-alive connection; ms. Campaign stats and links rotate over 3 campaigns (the oldest, a middle one, the newest). "DB" is the request's time in the database (its statements' spans, overlaps once). Floors: bare routes on the same server.`);
  out.push('');
  const rows: Array<Array<string | number>> = [];
  for (const r of runs) {
    const floor = r.queries[0]!.latency.p99;
    for (const q of r.queries) {
      const target = q.name === 'campaign stats' ? TARGETS.campaignStatsP99 : q.name.startsWith('30-day') ? TARGETS.statsP99 : undefined;
      rows.push([
        label(r.store), q.name, fixed(q.latency.p50), fixed(q.latency.p95), `**${fixed(q.latency.p99)}**`, fixed(q.latency.max),
        q === r.queries[0] ? '1' : fixed(q.latency.p99 / floor, 1),
        q.db ? `${fixed(q.db.p50)} / ${fixed(q.db.p99)}` : '',
        fixed(q.bytes / 1024, 1),
        target === undefined ? '' : `< ${target}: ${met(q.latency.p99 < target && q.failures === 0)}`,
        q.failures ? `**${q.failures} failed**: ${q.firstFailure}` : '',
      ]);
    }
  }
  out.push(markdownTable(['store', 'request', 'p50', 'p95', 'p99', 'max', 'p99 / floor p99', 'DB p50 / p99', 'response KB', 'target (p99)', 'errors'], rows));
  out.push('');
  for (const r of runs) {
    for (const q of r.queries) {
      const st = q.statements;
      if (!st?.length) continue;
      const perRequest = st.reduce((a, x) => a + x.perRequest, 0);
      const execution = st.reduce((a, x) => a + x.perRequest * (x.executionMs || 0), 0);
      const top = st[0]!;
      const jit = st.some((x) => /^JIT:/m.test(x.plan)) ? ' **JIT compiled a statement** (see the plans);' : '';
      out.push(`- ${label(r.store)}, ${q.name}: ${fixed(perRequest, 1)} statements per request, ${fixed(execution, 1)} ms executing by EXPLAIN ANALYZE (against ${fixed(q.db?.p50)} ms DB p50 as the server saw it);${jit} the longest, ${fixed(top.executionMs, 1)} ms (+ ${fixed(top.planningMs, 1)} planning; ${fixed(top.medianMs, 1)} ms median as seen): \`${top.sql.replace(/\s+/g, ' ').slice(0, 140)}...\``);
    }
  }
  out.push(`- Every statement's plan (EXPLAIN (ANALYZE, BUFFERS)): ${explainFile}`);
  out.push('');
  out.push('Rollups: the whole log folded from scratch by catchUpRollups (batches of 2,000), against reading it with readLog in the same batches. CPU ms per 1,000 events: this process (PGlite runs in it) + the database\'s PostgreSQL backends.');
  out.push('');
  out.push(markdownTable(
    ['store', 'events', 'fold s', 'fold events/s', 'fold CPU ms / 1,000 (node + server)', 'readLog s', 'readLog events/s', 'readLog CPU ms / 1,000 (node + server)', 'CPU ratio fold / readLog', 'fold: rows read back per event (statements per 1,000)', 'machine busy cores (fold)', 'check'],
    runs.map((r) => {
      const f = r.fold.cpu;
      const c = r.readLog.cpu;
      const fCpu = perThousand(f.nodeS + f.serverS, r.fold.events);
      const cCpu = perThousand(c.nodeS + c.serverS, r.readLog.events);
      return [label(r.store), whole(r.fold.events), fixed(f.wallS), whole(r.fold.events / f.wallS),
        `**${fixed(fCpu, 1)}** (${fixed(perThousand(f.nodeS, r.fold.events), 1)} + ${fixed(perThousand(f.serverS, r.fold.events), 1)})`,
        fixed(c.wallS), whole(r.readLog.events / c.wallS),
        `${fixed(cCpu, 1)} (${fixed(perThousand(c.nodeS, r.readLog.events), 1)} + ${fixed(perThousand(c.serverS, r.readLog.events), 1)})`,
        fixed(fCpu / cCpu, 1), `${fixed(r.fold.rows.rows / r.fold.events, 1)} (${fixed((1000 * r.fold.rows.statements) / r.fold.events, 1)})`,
        fixed(f.machineCores, 2), r.foldProblem ? `**${r.foldProblem}**` : 'every email counted once'];
    }),
  ));
  out.push('');
  out.push(`Lag: the scheduler's loop (startRollups, defaults) while a writer appends a batch every 100 ms through appendEvents; lag from each batch's commit to the first stats announcement after which the cursor has passed it; ms. "Writer alone": the same writer for a few seconds before, rollups stopped. Main thread: share of the run.`);
  out.push('');
  out.push(markdownTable(
    ['store', 'rate asked / achieved (events/s)', 'events', 'lag p50', 'lag p99', 'lag max', `target < ${TARGETS.lagMs} ms`, 'not folded', 'rollup batches (events each)', 'rows read back per event (statements per 1,000)',
      'append p50 / p99', 'CPU ms / 1,000: writer and rollups (node + server)', 'writer alone', 'main thread on a CPU / waiting for one', 'machine busy cores', 'rollup errors'],
    runs.map((r) => {
      const l = r.lag;
      if (!l) return [label(r.store), `**failed: ${r.lagError}**`, ...Array<string>(14).fill('')];
      const share = (x: number) => `${fixed((100 * x) / l.cpu.wallS, 0)} %`;
      const w = l.writerAlone;
      return [label(r.store), `${whole(l.rate)} / ${whole(l.achievedRate)}`, whole(l.events), fixed(l.lag.p50, 0), `**${fixed(l.lag.p99, 0)}**`, fixed(l.lag.max, 0),
        met(l.lag.p99 < TARGETS.lagMs && l.notFolded === 0), whole(l.notFolded), `${whole(l.rollupBatches)} (${whole(l.events / Math.max(1, l.rollupBatches))})`,
        `${fixed(l.rollupRows.rows / l.events, 1)} (${fixed((1000 * l.rollupRows.statements) / l.events, 1)})`,
        `${fixed(l.append.p50)} / ${fixed(l.append.p99)}`,
        `${fixed(perThousand(l.cpu.nodeS + l.cpu.serverS, l.events), 1)} (${fixed(perThousand(l.cpu.nodeS, l.events), 1)} + ${fixed(perThousand(l.cpu.serverS, l.events), 1)})`,
        `${fixed(perThousand(w.cpu.nodeS + w.cpu.serverS, w.events), 1)} (${fixed(perThousand(w.cpu.nodeS, w.events), 1)} + ${fixed(perThousand(w.cpu.serverS, w.events), 1)})`,
        `${share(l.cpu.mainS)} / ${share(l.cpu.mainWaitS)}`,
        fixed(l.cpu.machineCores, 2), l.rollupErrors.length ? `**${l.rollupErrors.length}**: ${l.rollupErrors[0]}` : '0'];
    }),
  ));
  const mix = runs.find((r) => r.lag)?.lag?.mix;
  if (mix) {
    const total = Object.values(mix).reduce((a, b) => a + b, 0);
    out.push('');
    out.push(`Writer's mix: ${Object.entries(mix).sort((a, b) => b[1] - a[1]).map(([t, n]) => `${t} ${fixed((100 * n) / total, 1)} %`).join(', ')}.`);
  }
  return out.join('\n');
}

cleanUpOnSignals();
const runs: StoreRun[] = [];
for (const s of stores) runs.push(await runStore(s));
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
const explainFile = `bench/results/stats-explain-${stamp}.txt`;
writeFileSync(new URL(`../results/stats-explain-${stamp}.txt`, import.meta.url), runs.flatMap((r) => r.queries.flatMap((q) => (q.statements ?? []).map((st) =>
  `== ${label(r.store)}, ${q.name}: ${fixed(st.perRequest, 1)} per request, median ${fixed(st.medianMs, 2)} ms as seen, executing ${fixed(st.executionMs, 2)} ms\n${st.sql}\n\n${st.plan}\n`))).join('\n'));
console.log(report(runs, explainFile));
const failed = runs.some((r) => r.foldProblem || r.lagError || r.queries.some((q) => q.failures > 0));
process.exitCode = failed ? 1 : 0;
