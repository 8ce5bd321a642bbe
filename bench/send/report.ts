// The machine description and the markdown report of a benchmark run.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import type { CeilingResult } from './ceiling.ts';
import type { CpuReport, ThreadShare } from './cpu-usage.ts';
import type { RunResult } from './sendtrail-run.ts';

const TARGET_RATIO = 0.7;
const TARGET_POST_S = 3;
const TARGET_RSS_MB = 400;
// Sendtrail's messages and the ceiling's may differ by their tokens and ids; more than this is a different message.
const SIZE_TOLERANCE = 0.03;
const PASSED_THROUGH = ['SMTP_POOL_SIZE', 'WORKER_CONCURRENCY', 'CLAIM_BATCH_SIZE', 'DOMAIN_CONCURRENCY', 'LEASE_MS'];

export type CeilingRun = CeilingResult & { position: string; dkim: boolean; raw: boolean };
/** A Sendtrail run with the plain ceilings measured just before and after it. */
export type MeasuredRun = RunResult & { ceilingBefore: CeilingRun; ceilingAfter?: CeilingRun; dkimCeiling?: CeilingRun };

export type ReportInput = {
  options: { count: number; poolSize: number; roles?: string };
  machine: Record<string, string>;
  code: string;
  startedAt: Date;
  ceilings: CeilingRun[];
  runs: MeasuredRun[];
  notes: string[];
};

export function machineInfo(): Record<string, string> {
  const model = /^model name\s*:\s*(.*)$/m.exec(safeRead('/proc/cpuinfo'))?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return {
    cores: `${availableParallelism()} (nproc)`,
    cpu: model,
    memory: `${Math.round(totalmem() / 2 ** 30)} GiB`,
    node: process.version,
    kernel: release(),
  };
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

export function markdownTable(header: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export const fixed = (n: number | undefined, digits = 1) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
export const whole = (n: number | undefined) => (n === undefined || Number.isNaN(n) ? 'n/a' : Math.round(n).toLocaleString('en-US'));
const perMessageMs = (cpuSeconds: number | undefined, count: number) => (cpuSeconds === undefined ? undefined : (cpuSeconds * 1000) / count);

/** The plain ceiling a run is judged against: the mean of the ones measured just before and after it. */
export function adjacentCeiling(run: MeasuredRun): number {
  return run.ceilingAfter ? (run.ceilingBefore.rate + run.ceilingAfter.rate) / 2 : run.ceilingBefore.rate;
}

export function renderReport(input: ReportInput): string {
  const plain = input.ceilings.filter((c) => !c.dkim && !c.raw);
  const best = Math.max(...plain.map((c) => c.rate));
  const raws = input.ceilings.filter((c) => c.raw);
  const rawRate = raws.length > 0 ? raws.reduce((sum, c) => sum + c.rate, 0) / raws.length : undefined;
  const verdict = (ok: boolean) => (ok ? 'yes' : '**no**');
  const ceilingRows = input.ceilings.map((c) => [
    c.dkim ? `bare pool + DKIM RSA-2048 (KeyObject), ${c.position}` : c.raw ? `bare pool, pre-composed raw messages, ${c.position}` : `bare pool, ${c.position}`,
    whole(c.count),
    whole(c.rate),
    fixed(c.seconds),
    fixed(perMessageMs(c.cpu.parts.bench, c.count), 2),
    fixed(perMessageMs(c.cpu.parts.sink, c.count), 2),
    whole(c.bytesPerMessage),
  ]);
  const runRows = input.runs.map((r) => {
    const dkimRatio = r.dkimCeiling && r.rate !== undefined ? ` (${fixed(r.rate / r.dkimCeiling.rate, 2)} of the DKIM ceiling)` : '';
    return [
      r.label,
      fixed(r.postSeconds, 2),
      fixed(r.firstMessageSeconds, 2),
      fixed(r.totalSeconds),
      whole(r.rate),
      r.rate === undefined ? 'n/a' : `**${fixed(r.rate / adjacentCeiling(r), 2)}**${dkimRatio}`,
      r.rate === undefined ? 'n/a' : fixed(r.rate / best, 2),
      r.rate === undefined || rawRate === undefined || r.dkim ? 'n/a' : fixed(r.rate / rawRate, 2),
      fixed(perMessageMs(r.cpu?.parts.sendtrail, r.count), 2),
      `${whole(r.peakRssMb)} (at ${fixed(r.peakRssAtSeconds, 0)} s)`,
      whole(r.hwmMb),
      whole(r.heapMaxMb),
      whole(r.bytesPerMessage),
      r.statsMs ? `${whole(r.statsMs.median)} / ${whole(r.statsMs.max)}` : 'n/a',
      r.problems.length > 0 ? '**FAILED**' : `all ${whole(r.count)} sent, ${whole(r.count)} distinct at the sink${r.dkimCheck ? `, DKIM ${r.dkimCheck.split(' ')[0]}` : ''}`,
    ];
  });
  const targets = input.runs
    .filter((r) => !r.dkim)
    .map((r) => {
      const ratio = (r.rate ?? 0) / adjacentCeiling(r);
      return `- ${r.label}: ratio ${fixed(ratio, 2)} >= ${TARGET_RATIO}: ${verdict(ratio >= TARGET_RATIO)}; POST ${fixed(r.postSeconds, 2)} s < ${TARGET_POST_S} s: ${verdict((r.postSeconds ?? Infinity) < TARGET_POST_S)}; peak RSS ${whole(r.hwmMb)} MB < ${TARGET_RSS_MB} MB: ${verdict((r.hwmMb ?? Infinity) < TARGET_RSS_MB)}`;
    });
  // The ceiling is only a fair reference if it sends what Sendtrail sends (campaign.ts builds its
  // messages with Sendtrail's own buildMessage): say so loudly when the sizes drift apart.
  const sizeWarnings = input.runs.flatMap((r) => {
    const reference = r.dkim ? r.dkimCeiling : r.ceilingBefore;
    if (!reference || r.bytesPerMessage === undefined) return [];
    const drift = r.bytesPerMessage / reference.bytesPerMessage - 1;
    if (Math.abs(drift) <= SIZE_TOLERANCE) return [];
    return [`**${r.label}: Sendtrail's messages are ${whole(r.bytesPerMessage)} bytes at the sink against ${whole(reference.bytesPerMessage)} for its ceiling (${drift > 0 ? '+' : ''}${fixed(drift * 100, 0)} %): the two do not send the same mail, so the ratio is off.**`];
  });
  const env = PASSED_THROUGH.filter((k) => process.env[k]).map((k) => `${k}=${process.env[k]}`);
  const failures = input.runs.filter((r) => r.problems.length > 0).map((r) => `- ${r.label}:\n\n\`\`\`\n${r.problems.join('\n')}\n\`\`\``);
  return [
    `## bench:send, ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `Machine: ${Object.entries(input.machine).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    `Code: ${input.code}.`,
    `N = ${whole(input.options.count)} recipients; SMTP pool of ${input.options.poolSize} connections; sink in its own process; ${input.options.roles ? `roles ${input.options.roles}` : 'all roles'}${env.length ? `; ${env.join(', ')}` : '; Sendtrail defaults'}.`,
    '',
    markdownTable(['Ceiling (bare nodemailer 10 pool, pre-built messages)', 'messages', 'msg/s', 'seconds', 'client CPU ms/msg', 'sink CPU ms/msg', 'bytes/msg at the sink'], ceilingRows),
    '',
    markdownTable(
      ['Sendtrail', 'POST (s)', 'first msg (s)', 'last msg (s)', 'msg/s', 'ratio to adjacent ceilings', 'ratio to best ceiling', 'ratio to raw-message ceilings', 'Sendtrail CPU ms/msg', 'peak RSS sampled, MB', 'VmHWM MB', 'JS heap used, max of 10 s samples, MB', 'bytes/msg at the sink', 'stats GET ms, median / max', 'check'],
      runRows,
    ),
    '',
    'Times are from the start of the POST; "last msg" is when the sink accepted the N-th distinct message.',
    'Ratio to adjacent ceilings: msg/s over the mean of the plain ceilings measured just before and just after the run',
    `(the VM's speed drifts); ratio to best ceiling: over the fastest plain ceiling of the whole run (${whole(best)} msg/s).`,
    ...(rawRate === undefined
      ? []
      : [
          `Ratio to raw-message ceilings: over the mean of the pool's runs with pre-composed messages (${whole(rawRate)} msg/s), a second reference: Sendtrail`,
          'composes MIME without nodemailer\'s streams and writes bytes to its own SMTP sessions, so the plain ceiling pays for work Sendtrail no longer does.',
        ]),
    '',
    'Where the CPU went (CPU seconds over each timed window; the machine has 2 per wall second):',
    '',
    markdownTable(['Phase', 'wall s', 'machine busy', 'sendtrail', 'postgres (all databases)', 'sink', 'bench client', 'other processes', 'others, cores'], cpuRows(input)),
    '',
    'Threads during each Sendtrail run (share of the wall time on a CPU / runnable but waiting for one, from /proc/<pid>/task/*/schedstat;',
    'the SMTP thread is the busiest one after the main thread, "helpers" are the rest: V8 compilation and garbage collection, libuv):',
    '',
    markdownTable(['Sendtrail', 'main thread (queue, PGlite)', 'SMTP thread', 'helpers, all together', 'sink, all threads'], threadRows(input)),
    '',
    'Targets:',
    ...targets,
    ...(sizeWarnings.length ? ['', ...sizeWarnings] : []),
    ...(input.notes.length ? ['', 'Notes:', ...input.notes.map((n) => `- ${n}`)] : []),
    ...(failures.length ? ['', '**Failures:**', '', ...failures] : []),
    '',
  ].join('\n');
}

function threadRows(input: ReportInput): string[][] {
  return input.runs.map((r) => {
    const share = (t: ThreadShare | undefined) =>
      t && r.totalSeconds ? `${Math.round((100 * t.cpu) / r.totalSeconds)} % / ${Math.round((100 * t.wait) / r.totalSeconds)} %` : 'n/a';
    return [r.label, share(r.threads?.main), share(r.threads?.smtp), share(r.threads?.helpers), share(r.threads?.sink)];
  });
}

function cpuRows(input: ReportInput): string[][] {
  const row = (phase: string, seconds: number | undefined, cpu: CpuReport | undefined) => [
    phase,
    fixed(seconds),
    fixed(cpu?.machineBusy),
    fixed(cpu?.parts.sendtrail),
    fixed(cpu?.parts.postgres),
    fixed(cpu?.parts.sink),
    fixed(cpu?.parts.bench),
    fixed(cpu?.other),
    fixed(cpu && seconds ? cpu.other / seconds : undefined, 2),
  ];
  const rows: string[][] = [];
  const seen = new Set<CeilingRun>();
  const ceilingRow = (c: CeilingRun | undefined) => {
    if (!c || seen.has(c)) return;
    seen.add(c);
    rows.push(row(`ceiling${c.dkim ? ' + DKIM' : ''}, ${c.position}`, c.seconds, c.cpu));
  };
  for (const r of input.runs) {
    ceilingRow(r.ceilingBefore);
    ceilingRow(r.dkimCeiling);
    rows.push(row(r.label, r.totalSeconds, r.cpu));
    ceilingRow(r.ceilingAfter);
  }
  for (const c of input.ceilings) ceilingRow(c);
  return rows;
}
