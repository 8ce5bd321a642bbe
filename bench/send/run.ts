// `npm run bench:send`: a campaign of N recipients relayed to a local SMTP sink, on PostgreSQL and
// on PGlite, as a ratio to a bare pooled nodemailer client in the same run (target: at least 0.7).
//
// Setup, the same for the ceiling and for Sendtrail: the sink runs in a child process of its own,
// so receiving never competes with the sender for an event loop (it still competes for the two
// cores, as a relay on the same host would). The ceiling's client runs in this process; Sendtrail
// runs as `sendtrail start` in a child process; PostgreSQL is the server on 127.0.0.1.
// The speed of this shared VM drifts by up to ~1.4x within minutes, so a ceiling is measured
// before and after every Sendtrail run and each run is compared with the two around it.
//
// Usage: npm run bench:send -- [--quick] [--n 100000] [--stores pg,pglite] [--dkim-store pg|pglite|none]
//                              [--one-ceiling] [--cpu-prof] [--no-wait] [--live] [--repeats 1] [--no-raw-ceiling]
//                              [--roles api,tracking,worker,inbound]
// --quick: N = 5,000. --one-ceiling: a single ceiling at the start (faster, less fair).
// --no-raw-ceiling skips the second reference: the same pool sending pre-composed messages, once
// before and once after the runs (see ceiling.ts).
// --roles starts Sendtrail with these roles instead of all of them: without `scheduler`, it gives
// what folding the rollups in the sending process costs (on PGlite they share one thread).
// --cpu-prof writes Sendtrail's CPU profiles to bench/results/profiles/ (see summarize-profile.ts).
// --no-wait skips waiting for a quiet machine before each timed phase; --live runs the working
// tree (built first when stale) instead of a snapshot of it; --repeats sets how many times a phase disturbed by other
// processes is measured again.
// Env: N, STORES, DKIM_STORE do the same as the flags; SMTP_POOL_SIZE, WORKER_CONCURRENCY etc. pass
// through to Sendtrail (and SMTP_POOL_SIZE to the ceiling's pool).
import { mkdirSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { measureCeiling } from './ceiling.ts';
import { machineInfo, renderReport, whole, type CeilingRun, type MeasuredRun } from './report.ts';
import { startSinkProcess, type SinkProcess } from './sink-client.ts';
import { runSendtrailCampaign } from './sendtrail-run.ts';
import { REPO_ROOT, runSendtrailFrom } from './sendtrail-process.ts';
import { describeCode, snapshotSources, type Snapshot } from './snapshot.ts';
import { ensureBuilt } from '../../test/support/ensure-built.ts';
import { waitForQuietMachine, type CpuReport } from './cpu-usage.ts';
import type { StoreName } from './stores.ts';
import { cleanUpOnSignals, onInterrupt } from './cleanup.ts';

// Sendtrail's default SMTP_POOL_SIZE and WORKER_CONCURRENCY: the ceiling gets the same.
const POOL_SIZE = Number(process.env.SMTP_POOL_SIZE ?? 5);
const CEILING_IN_FLIGHT = Number(process.env.WORKER_CONCURRENCY ?? 128);
// The DKIM ceiling is a side reference; 20,000 messages give its steady rate in less time.
const DKIM_CEILING_MAX = 20_000;
const WARM_UP = 2_000;
// A phase during which other processes used this many cores on average is measured again.
const DISTURBED_CORES = 0.25;
const othersCores = (cpu: CpuReport | undefined, seconds: number | undefined) => (cpu && seconds ? cpu.other / seconds : undefined);

const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

type BenchOptions = ReturnType<typeof parseOptions>;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string' },
      quick: { type: 'boolean', default: false },
      stores: { type: 'string' },
      'dkim-store': { type: 'string' },
      'one-ceiling': { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'no-wait': { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      repeats: { type: 'string' },
      'no-raw-ceiling': { type: 'boolean', default: false },
      roles: { type: 'string' },
    },
  });
  const count = Number(values.n ?? (values.quick ? 5000 : process.env.N ?? 100_000));
  if (!Number.isInteger(count) || count < 1) throw new Error(`N must be a positive integer, got ${values.n ?? process.env.N}`);
  const stores = (values.stores ?? process.env.STORES ?? 'pg,pglite').split(',').map((s) => s.trim()).filter(Boolean);
  for (const s of stores) if (s !== 'pg' && s !== 'pglite') throw new Error(`unknown store "${s}": pg or pglite`);
  const dkimStore = values['dkim-store'] ?? process.env.DKIM_STORE ?? 'pg';
  if (!['pg', 'pglite', 'none'].includes(dkimStore)) throw new Error('--dkim-store is pg, pglite or none');
  return {
    count,
    stores: stores as StoreName[],
    dkimStore: dkimStore === 'none' ? undefined : (dkimStore as StoreName),
    ceilingAround: !values['one-ceiling'],
    cpuProfileDir: values['cpu-prof'] ? `${REPO_ROOT}bench/results/profiles` : undefined,
    waitForQuiet: !values['no-wait'],
    snapshot: !values.live,
    repeats: Number(values.repeats ?? 1),
    poolSize: POOL_SIZE,
    rawCeiling: !values['no-raw-ceiling'],
    roles: values.roles,
  };
}

/** The phases of one benchmark, sharing the sink, the notes and the retry-when-disturbed policy. */
function phases(sink: SinkProcess, options: BenchOptions, notes: string[]) {
  const settle = async (phase: string) => {
    if (!options.waitForQuiet) return;
    // Other people's tests share this machine: each timed phase starts once it is quiet (or after 2 min).
    const { busyCores, waitedMs } = await waitForQuietMachine();
    log(`${phase}: machine at ${busyCores.toFixed(2)} busy cores after waiting ${(waitedMs / 1000).toFixed(0)} s for it to be quiet`);
  };

  async function measure<T>(phase: string, attempt: () => Promise<T>, disturbance: (r: T) => number | undefined, rateOf: (r: T) => number | undefined): Promise<T> {
    for (let i = 0; ; i++) {
      const result = await attempt();
      const others = disturbance(result) ?? 0;
      if (others < DISTURBED_CORES || i >= options.repeats) {
        if (others >= DISTURBED_CORES) notes.push(`${phase}: other processes used ${others.toFixed(2)} cores on average during the kept attempt: its figure is depressed.`);
        return result;
      }
      notes.push(`${phase}: an attempt disturbed by other processes (${others.toFixed(2)} cores on average) gave ${whole(rateOf(result))} msg/s; measured again.`);
      log(`${phase}: other processes used ${others.toFixed(2)} cores meanwhile: measuring again`);
    }
  }

  let ceilings = 0;
  return {
    ceiling(position: string, dkim = false, raw = false): Promise<CeilingRun> {
      const label = dkim ? 'ceiling-dkim-' : `ceiling${ceilings++}-`;
      const count = dkim ? Math.min(options.count, DKIM_CEILING_MAX) : options.count;
      return measure(
        `ceiling ${position}`,
        async () => {
          await settle(`ceiling ${position}`);
          const result = await measureCeiling(sink, { count, poolSize: options.poolSize, inFlight: CEILING_IN_FLIGHT, dkim, raw, label });
          log(`ceiling ${position}${raw ? ' (raw messages)' : ''}: ${Math.round(result.rate)} msg/s (${result.seconds.toFixed(1)} s)`);
          return { ...result, position, dkim, raw };
        },
        (r) => othersCores(r.cpu, r.seconds),
        (r) => r.rate,
      );
    },
    run(store: StoreName, dkim: boolean) {
      return measure(
        `${store}${dkim ? ' + DKIM' : ''}`,
        async () => {
          const r = await runSendtrailCampaign(sink, { store, count: options.count, dkim, cpuProfileDir: options.cpuProfileDir, roles: options.roles, log, settle });
          if (r.problems.length > 0) log(`FAILED ${r.label}:\n  ${r.problems.join('\n  ')}`);
          return r;
        },
        // A failed run is reported as it is, never hidden behind a second attempt.
        (r) => (r.problems.length > 0 ? undefined : othersCores(r.cpu, r.totalSeconds)),
        (r) => r.rate,
      );
    },
  };
}

async function main(): Promise<number> {
  const options = parseOptions();
  cleanUpOnSignals();
  const machine = machineInfo();
  const startedAt = new Date();
  log(`bench:send N=${options.count} stores=${options.stores.join(',')} dkim=${options.dkimStore ?? 'none'} on ${machine.cores} x ${machine.cpu}, node ${machine.node}`);
  let snapshot: Snapshot | undefined;
  if (options.snapshot) {
    snapshot = await snapshotSources(REPO_ROOT);
    runSendtrailFrom(snapshot.root);
    const taken = snapshot;
    onInterrupt(() => taken.remove());
    log(`sendtrail runs from a snapshot of the working tree in ${snapshot.root} (${snapshot.describe})`);
  } else {
    ensureBuilt(REPO_ROOT);
  }
  const code = snapshot?.describe ?? `${describeCode(REPO_ROOT)}, live working tree`;
  const sink = await startSinkProcess();
  onInterrupt(() => sink.close());
  log(`sink: pid ${sink.pid}, port ${sink.port}`);
  try {
    const notes: string[] = [];
    const phase = phases(sink, options, notes);
    const ceilings: CeilingRun[] = [];
    const runs: MeasuredRun[] = [];
    const plan: Array<{ store: StoreName; dkim: boolean }> = [
      ...options.stores.map((store) => ({ store, dkim: false })),
      ...(options.dkimStore ? [{ store: options.dkimStore, dkim: true }] : []),
    ];
    // Unmeasured: lets V8 optimise nodemailer in this process before the first ceiling counts.
    await measureCeiling(sink, { count: Math.min(options.count, WARM_UP), poolSize: options.poolSize, inFlight: CEILING_IN_FLIGHT, label: 'warm-up-' });
    if (options.rawCeiling) ceilings.push(await phase.ceiling('before the runs', false, true));
    let previous = await phase.ceiling(plan[0] ? `before ${plan[0].store}` : 'alone');
    ceilings.push(previous);
    let dkimCeiling: CeilingRun | undefined;
    for (const [i, step] of plan.entries()) {
      const name = `${step.store}${step.dkim ? ' + DKIM' : ''}`;
      if (step.dkim) ceilings.push((dkimCeiling = await phase.ceiling(`before ${name}`, true)));
      const result = await phase.run(step.store, step.dkim);
      const next = options.ceilingAround ? await phase.ceiling(plan[i + 1] ? `between ${name} and the next run` : `after ${name}`) : undefined;
      if (next) ceilings.push(next);
      runs.push({ ...result, ceilingBefore: previous, ceilingAfter: next, dkimCeiling: step.dkim ? dkimCeiling : undefined });
      previous = next ?? previous;
    }

    if (options.rawCeiling) ceilings.push(await phase.ceiling('after the runs', false, true));

    const report = renderReport({ options, machine, code, startedAt, ceilings, runs, notes });
    console.log(report);
    mkdirSync(`${REPO_ROOT}bench/results`, { recursive: true });
    const file = `${REPO_ROOT}bench/results/send-${startedAt.toISOString().slice(0, 16).replace(':', '')}.md`;
    writeFileSync(file, report);
    log(`written to ${file.replace(REPO_ROOT, '')} (${((Date.now() - startedAt.getTime()) / 60_000).toFixed(1)} min in all)`);
    const failed = runs.filter((r) => r.problems.length > 0);
    if (failed.length > 0) {
      console.error(`\n!!!!! BENCHMARK FAILED: ${failed.map((r) => r.label).join(', ')} lost, duplicated or did not deliver mail (details above) !!!!!\n`);
      return 1;
    }
    return 0;
  } finally {
    await sink.close();
    await snapshot?.remove();
  }
}

process.exitCode = await main().catch((err) => {
  console.error(err);
  return 1;
});
