// `npm run bench:dashboard`: the dashboard over a project holding a month of mail (1,000,000 emails,
// about 5,000,000 events, generated in bulk by SQL as bench:stats does), on PostgreSQL and on PGlite:
//   1. generation, the rollups folded up to the end of the log (catchUpRollups, as the scheduler
//      would have left them), VACUUM ANALYZE; the store closed (PGlite's data dir has one owner);
//   2. `sendtrail start` on that store (all roles, from dist/ and web/dist of this tree), signed in
//      as the admin that SENDTRAIL_ADMIN_EMAIL and SENDTRAIL_ADMIN_PASSWORD create;
//   3. the API calls behind the Overview and Email Logs, by a plain HTTP client with the session
//      cookie (api-calls.ts): p50 and p99, /healthz as the floor;
//   4. the two screens in headless Chromium (page-loads.ts): the time until each shows its data, on
//      a first and a return visit, p50 and p99, split into loading the app, waiting for the API
//      and drawing;
// and the app's JavaScript, from web/dist (js-size.ts): initial (target < 250 KB gzipped), per
// screen, total.
// Usage: npm run bench:dashboard -- [--store pg|pglite|both] [--emails 1000000] [--rounds 20]
//                                   [--warmup 3] [--requests 200]
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { createProviderLookup } from '../../src/analytics/providers.ts';
import { clientOf } from '../../src/analytics/clients.ts';
import { catchUpRollups } from '../../src/analytics/rollups/index.ts';
import { SESSION_COOKIE } from '../../src/http/auth.ts';
import { ensureBuilt } from '../../test/support/ensure-built.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { cleanUpOnSignals, onInterrupt } from '../send/cleanup.ts';
import { fixed, machineInfo, markdownTable, whole } from '../send/report.ts';
import { REPO_ROOT, startSendtrail } from '../send/sendtrail-process.ts';
import { generate, type Generated } from '../stats/generate.ts';
import { checkFold } from '../stats/rollup-cost.ts';
import type { Latency } from '../stats/queries.ts';
import { measureApiCalls, TIME_ZONE, type ApiCallResult } from './api-calls.ts';
import { measurePageLoads, type LoadResult } from './page-loads.ts';
import { INITIAL_TARGET_KB, measureJsSize, type JsSize, type Weight } from './js-size.ts';

const API_KEY = 'st_bench_dashboard_key_0123456789abcdef';
// A benchmark's throwaway admin, on a store deleted afterwards.
const ADMIN = { email: 'bench@example.com', password: 'bench-dashboard-password-0123' };

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    emails: { type: 'string', default: '1000000' },
    rounds: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '3' },
    requests: { type: 'string', default: '200' },
  },
});
const stores: StoreName[] = values.store === 'both' ? ['pg', 'pglite'] : [values.store as StoreName];
for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`--store must be pg, pglite or both, got ${values.store}`);
const emails = Number(values.emails);
const rounds = Number(values.rounds);
const warmup = Number(values.warmup);
const requests = Number(values.requests);
for (const [name, v, least] of [['emails', emails, 1000], ['rounds', rounds, 1], ['warmup', warmup, 0], ['requests', requests, 10]] as const) {
  if (!Number.isInteger(v) || v < least) throw new Error(`--${name} must be a whole number of at least ${least}, got ${v}`);
}

const began = Date.now();
const log = (msg: string) => console.error(`[bench:dashboard +${((Date.now() - began) / 1000).toFixed(0)}s] ${msg}`);

type StoreRun = {
  store: StoreName;
  generated: Generated;
  foldS: number;
  foldProblem?: string;
  dbMb: number;
  startS: number;
  api: ApiCallResult[];
  pages: LoadResult[];
  minutes: number;
};

/** Generates the month of mail, folds the rollups to the end of the log, and closes the store. */
async function prepare(name: StoreName, env: Record<string, string>, dataDir: string): Promise<Pick<StoreRun, 'generated' | 'foldS' | 'foldProblem' | 'dbMb'>> {
  const store: Store = await openStore(name === 'pg' ? { databaseUrl: env.DATABASE_URL } : { dataDir });
  const closeStore = onInterrupt(() => store.close());
  try {
    const { db } = store;
    const { projectId } = await ensureDefaultProject(db, API_KEY);
    log(`${name}: generating ${emails.toLocaleString('en-US')} emails and their events`);
    const generated = await generate(db, projectId, emails, (m) => log(`${name}: ${m}`));
    log(`${name}: ${generated.events.toLocaleString('en-US')} events; folding the rollups`);
    const started = performance.now();
    await catchUpRollups({ db, providers: createProviderLookup({ db, lookupMx: false }), clientOf }, { timeoutMs: 120_000 });
    const foldS = (performance.now() - started) / 1000;
    const foldProblem = await checkFold(db, emails);
    await sql`VACUUM (ANALYZE)`.execute(db);
    const dbMb = Number((await sql<{ b: number }>`SELECT pg_database_size(current_database())::bigint AS b`.execute(db)).rows[0]!.b) / 2 ** 20;
    log(`${name}: rollups folded in ${foldS.toFixed(1)} s; database ${dbMb.toFixed(0)} MB`);
    return { generated, foldS, foldProblem, dbMb };
  } finally {
    await store.close();
    closeStore();
  }
}

async function signIn(base: string): Promise<string> {
  const res = await fetch(`${base}/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify(ADMIN),
  });
  if (!res.ok) throw new Error(`signing in answered ${res.status}: ${await res.text()}`);
  const token = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get('set-cookie') ?? '')?.[1];
  if (!token) throw new Error('signing in set no session cookie');
  return token;
}

// A start on a million emails reports its time in the results; it is not held to a test's limit.
const START_TIMEOUT_MS = 15 * 60_000;

async function runStore(name: StoreName): Promise<StoreRun> {
  const storeBegan = Date.now();
  const bench = await createStore(name);
  const dropStore = onInterrupt(() => bench.destroy());
  try {
    const prepared = await prepare(name, bench.env, bench.dataDir);
    log(`${name}: starting sendtrail`);
    const started = performance.now();
    const proc = await startSendtrail({
      ...bench.env,
      SENDTRAIL_API_KEY: API_KEY,
      SENDTRAIL_ADMIN_EMAIL: ADMIN.email,
      SENDTRAIL_ADMIN_PASSWORD: ADMIN.password,
      PROVIDER_MX_LOOKUP: 'false',
    }, { startTimeoutMs: START_TIMEOUT_MS });
    const startS = (performance.now() - started) / 1000;
    try {
      const token = await signIn(proc.url);
      log(`${name}: API calls, ${warmup * 10} rounds of warm-up then ${requests}`);
      const api = await measureApiCalls(proc.url, `${SESSION_COOKIE}=${token}`, { warmup: warmup * 10, requests });
      log(`${name}: the screens in Chromium, ${warmup} rounds of warm-up then ${rounds}`);
      const pages = await measurePageLoads(proc.url, token, { warmup, rounds }, log);
      if (proc.ended()) throw new Error(`sendtrail ended (${proc.ended()}):\n${proc.output()}`);
      return { store: name, ...prepared, startS, api, pages, minutes: (Date.now() - storeBegan) / 60_000 };
    } finally {
      await proc.stop();
    }
  } finally {
    await bench.destroy();
    dropStore();
  }
}

const label = (s: StoreName) => (s === 'pg' ? 'PostgreSQL' : 'PGlite');
const kb = (bytes: number) => fixed(bytes / 1024, 1);
const p = (l: Latency | undefined) => (l ? `${fixed(l.p50, 0)} / ${fixed(l.p99, 0)}` : '');

function report(runs: StoreRun[], js: JsSize): string {
  const commit = execSync('git rev-parse --short HEAD', { cwd: REPO_ROOT }).toString().trim();
  const dirty = execSync('git status --porcelain -- src web/src bench/dashboard bench/stats', { cwd: REPO_ROOT }).toString().trim() ? ' (+ uncommitted changes)' : '';
  const m = machineInfo();
  const argv = process.argv.slice(2).join(' ');
  const out: string[] = [];
  out.push(`bench:dashboard · ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · commit ${commit}${dirty} · ${m.cpu}, ${(m.cores ?? '?').replace(' (nproc)', '')} cores, ${m.memory}, Node ${m.node} · \`npm run bench:dashboard${argv ? ` -- ${argv}` : ''}\` · ${fixed((Date.now() - began) / 60_000)} min`);
  out.push('');
  out.push(markdownTable(
    ['store', 'emails', 'events', 'generation s', 'rollups folded in s', 'database MB', '`sendtrail start` until healthy, s', 'store run, min', 'check'],
    runs.map((r) => [label(r.store), whole(r.generated.emails), whole(r.generated.events),
      fixed(r.generated.seconds.emails + r.generated.seconds.log + r.generated.seconds.vacuum), fixed(r.foldS), whole(r.dbMb), fixed(r.startS), fixed(r.minutes),
      r.foldProblem ? `**${r.foldProblem}**` : 'every email counted once']),
  ));
  out.push('');
  out.push(`Screens in headless Chromium (Debian's, 1280x800, time zone ${TIME_ZONE}), ${rounds} rounds after ${warmup} of warm-up; ms from the start of the navigation, p50 / p99. Overview, "shown": every metric card holds a number and the chart is drawn; "whole screen": the mailbox-provider table too. Email Logs, "shown": the first row. A first visit has nothing cached (a new browser context); a return visit navigates the same page again (scripts from the HTTP cache, every API call made again). The split of "shown": "app asked" is when the app sent the call its data comes from (GET /v1/stats of the period, GET /v1/emails?limit=50) after loading its scripts and the session; "API" is that call as the browser saw it; "drawing" is from its answer to the frame that shows the data. The API ceiling: GET /v1/session then the data call, one after the other, as the HTTP client below timed them (p50s added): a screen cannot show its data sooner.`);
  out.push('');
  const pageRows: Array<Array<string | number>> = [];
  for (const r of runs) {
    for (const l of r.pages) {
      // The ceiling: a screen cannot show its data before the session and its data call have answered, one after the other.
      const session = r.api.find((a) => a.name === 'GET /v1/session')!.latency.p50;
      const call = r.api.find((a) => (l.screen === 'Overview' ? a.name.includes('(the cards and chart)') : a.name.includes('(the first page)')))!.latency.p50;
      pageRows.push([label(r.store), l.screen, l.visit, `**${p(l.shown)}**`, p(l.complete), p(l.document), p(l.asked), p(l.waited), p(l.drawn),
        fixed(session + call, 0), fixed(l.shown.p50 / (session + call), 0), l.errors.length ? `**${l.errors.length}**: ${l.errors[0]!.slice(0, 200)}` : '0']);
    }
  }
  out.push(markdownTable(['store', 'screen', 'visit', 'shown', 'whole screen', 'document received', 'app asked', 'API (browser)', 'drawing', 'API ceiling p50', 'shown p50 / ceiling', 'console errors'], pageRows));
  out.push('');
  out.push(`API calls behind the screens, by a plain HTTP client with the session cookie (one kept-alive connection, one request at a time, the calls interleaved), ${requests} each after ${warmup * 10} rounds of warm-up; ms. The floor: GET /healthz (HTTP and a \`SELECT 1\`).`);
  out.push('');
  const apiRows: Array<Array<string | number>> = [];
  for (const r of runs) {
    const floor = r.api.find((a) => a.screen === 'floor')!.latency;
    for (const a of r.api) {
      apiRows.push([label(r.store), a.name, a.screen === 'floor' ? '' : a.screen, fixed(a.latency.p50), fixed(a.latency.p95), `**${fixed(a.latency.p99)}**`, fixed(a.latency.max),
        fixed(a.latency.p50 / floor.p50, 1), kb(a.bytes), a.failures ? `**${a.failures} failed**: ${a.firstFailure}` : '0']);
    }
  }
  out.push(markdownTable(['store', 'call', 'screen', 'p50', 'p95', 'p99', 'max', 'p50 / floor p50', 'response KB', 'errors'], apiRows));
  out.push('');
  const w = (x: Weight) => `${kb(x.gzipped)} (${kb(x.bytes)} raw, ${x.files} file${x.files === 1 ? '' : 's'})`;
  out.push('The app\'s JavaScript (web/dist of this tree; KB gzipped at zlib\'s default level, raw and files in brackets):');
  out.push('');
  out.push(markdownTable(['part', 'KB gzipped', `target`], [
    ['initial: the entry script and what index.html preloads', `**${w(js.initial)}**`, `< ${INITIAL_TARGET_KB}: ${js.initial.gzipped < INITIAL_TARGET_KB * 1024 ? 'met' : '**not met**'}`],
    ['+ Overview (its chunk and the chunks it imports, uPlot among them)', w(js.overview), ''],
    ['+ Email Logs (likewise)', w(js.emailLogs), ''],
    ['total: every script of the build', w(js.total), ''],
  ]));
  return out.join('\n');
}

cleanUpOnSignals();
ensureBuilt(REPO_ROOT);
const js = measureJsSize();
const runs: StoreRun[] = [];
for (const s of stores) runs.push(await runStore(s));
const text = report(runs, js);
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
const stamp = new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
writeFileSync(new URL(`../results/dashboard-${stamp}.md`, import.meta.url), `${text}\n`);
console.log(text);
log(`report written to bench/results/dashboard-${stamp}.md`);
const failed = runs.some((r) => r.foldProblem || r.api.some((a) => a.failures > 0) || r.pages.some((l) => l.errors.length > 0)) || js.initial.gzipped >= INITIAL_TARGET_KB * 1024;
process.exitCode = failed ? 1 : 0;
