// One timed Sendtrail run: a fresh store, `sendtrail start` as a child process, one campaign of N
// recipients posted through the API, timed until the sink has accepted the last message.
import { performance } from 'node:perf_hooks';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { campaignBody, FROM_DOMAIN, RECIPIENT } from './campaign.ts';
import { createStore, type StoreName } from './stores.ts';
import { onInterrupt } from './cleanup.ts';
import { cpuSecondsOf, cpuWindow, postgresCpuSeconds, threadWindow, type CpuReport, type ThreadReport } from './cpu-usage.ts';
import type { SinkProcess } from './sink-client.ts';
import {
  memoryOf,
  runSendtrailCommand,
  sampleRss,
  startSendtrail,
  type SendtrailEnv,
  type SendtrailProcess,
} from './sendtrail-process.ts';

// A known key, seeded through SENDTRAIL_API_KEY: 32 characters.
export const BENCH_API_KEY = 'st_bench_0123456789abcdefghijklmn';
const STALL_MS = 60_000;
const STATS_TIMEOUT_MS = 60_000;
// A dashboard polls the stats of a campaign: timed over a few reads once the campaign has gone out.
const STATS_READS = 5;

export type RunOptions = {
  store: StoreName;
  count: number;
  dkim: boolean;
  cpuProfileDir?: string;
  /** `sendtrail start --roles`: all roles when not given. */
  roles?: string;
  log(line: string): void;
  /** Called just before the timed part (e.g. to wait for a quiet machine). */
  settle?(phase: string): Promise<void>;
};

export type RunResult = {
  label: string;
  store: StoreName;
  dkim: boolean;
  count: number;
  startupSeconds?: number;
  postSeconds?: number;
  firstMessageSeconds?: number;
  totalSeconds?: number;
  rate?: number;
  /** Mean size of the messages as the sink received them. */
  bytesPerMessage?: number;
  peakRssMb?: number;
  /** Seconds after the start of the POST at which the sampled peak was seen. */
  peakRssAtSeconds?: number;
  hwmMb?: number;
  /** Largest JS heap used seen in the 10 s progress samples. */
  heapMaxMb?: number;
  /** CPU seconds from the POST to the last message: the machine's and each process's. */
  cpu?: CpuReport;
  /** Over the same window: each thread's time on a CPU and time waiting for one. */
  threads?: ThreadReport;
  statuses?: Record<string, number>;
  /** GET /v1/campaigns/:id/stats once the campaign has gone out: median and slowest of STATS_READS, ms. */
  statsMs?: { median: number; max: number };
  dkimCheck?: string;
  problems: string[];
};

const now = () => performance.timeOrigin + performance.now();

export async function runSendtrailCampaign(sink: SinkProcess, options: RunOptions): Promise<RunResult> {
  const label = `${options.store}${options.dkim ? ' + DKIM' : ''}`;
  const result: RunResult = { label, store: options.store, dkim: options.dkim, count: options.count, problems: [] };
  const store = await createStore(options.store);
  const forgetStore = onInterrupt(() => store.destroy());
  const env: SendtrailEnv = {
    ...store.env,
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    SENDTRAIL_API_KEY: BENCH_API_KEY,
    LOG_LEVEL: 'warn',
  };
  let child: SendtrailProcess | undefined;
  let rss: ReturnType<typeof sampleRss> | undefined;
  try {
    // Before start: PGlite admits one process at a time.
    const dkimRecord = options.dkim ? parseDkimRecord(await runSendtrailCommand(env, ['domains', 'add', FROM_DOMAIN])) : undefined;
    const startedAt = now();
    child = await startSendtrail(env, { cpuProfileDir: options.cpuProfileDir, roles: options.roles });
    result.startupSeconds = (now() - startedAt) / 1000;
    options.log(`${label}: sendtrail pid ${child.pid} up in ${result.startupSeconds.toFixed(1)} s at ${child.url}`);

    const body = JSON.stringify(campaignBody(options.count, `bench ${label}`));
    await options.settle?.(label);
    await sink.startPhase(options.count);
    rss = sampleRss(child.pid);
    const pid = child.pid;
    const cpu = cpuWindow({
      sendtrail: () => cpuSecondsOf(pid),
      sink: () => cpuSecondsOf(sink.pid),
      bench: () => cpuSecondsOf(process.pid),
      ...(options.store === 'pg' ? { postgres: postgresCpuSeconds } : {}),
    });
    const threads = threadWindow(pid, sink.pid);

    const postStart = now();
    const response = await fetch(`${child.url}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
      body,
    });
    const answer = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
    result.postSeconds = (now() - postStart) / 1000;
    if (response.status !== 201 && response.status !== 202) {
      throw new Error(`POST /v1/campaigns answered ${response.status}: ${JSON.stringify(answer).slice(0, 500)}`);
    }
    const campaignId = typeof answer?.id === 'string' ? answer.id : undefined;
    if (!campaignId) throw new Error(`POST /v1/campaigns gave no campaign id: ${JSON.stringify(answer).slice(0, 500)}`);
    options.log(`${label}: campaign ${campaignId} created in ${result.postSeconds.toFixed(2)} s`);

    const counts = await waitForSink(sink, child, options, label);
    result.cpu = cpu.end();
    result.threads = threads.end();
    result.heapMaxMb = counts.heapMaxMb;
    result.firstMessageSeconds = counts.firstAt !== undefined ? (counts.firstAt - postStart) / 1000 : undefined;
    result.totalSeconds = (counts.completeAt - postStart) / 1000;
    result.rate = options.count / result.totalSeconds;
    result.bytesPerMessage = counts.total > 0 ? counts.bytes / counts.total : undefined;
    options.log(`${label}: ${options.count} messages at the sink in ${result.totalSeconds.toFixed(1)} s (${Math.round(result.rate)} msg/s)`);

    result.statuses = await waitForSentStats(child, campaignId, options.count);
    result.statsMs = await timeStatsReads(child, campaignId);
    const peak = rss.stop();
    rss = undefined;
    result.peakRssMb = peak.peakMb;
    result.peakRssAtSeconds = peak.peakAtMs / 1000;
    result.hwmMb = peak.hwmMb;
    result.problems.push(...(await checkDelivery(sink, store.statusCounts, campaignId, options.count, result.statuses)));
    if (dkimRecord) {
      await child.stop();
      result.dkimCheck = await checkDkimSignature(sink, env, dkimRecord, options);
      if (!result.dkimCheck.startsWith('pass')) result.problems.push(`DKIM check: ${result.dkimCheck}`);
    }
  } catch (err) {
    result.problems.push((err as Error).message);
    if (child) result.problems.push(`--- last sendtrail output ---\n${child.output().slice(-4000)}`);
  } finally {
    rss?.stop();
    await child?.stop();
    await store.destroy().catch((err) => result.problems.push(`cleaning up the store failed: ${(err as Error).message}`));
    forgetStore();
  }
  return result;
}

/** Waits for the sink to have all N distinct messages; fails on a stall or a dead child. */
async function waitForSink(sink: SinkProcess, child: SendtrailProcess, options: RunOptions, label: string) {
  let heapMaxMb = 0;
  let last = -1;
  let lastChange = Date.now();
  let lastLog = Date.now();
  for (;;) {
    const counts = await sink.counts();
    if (counts.completeAt !== undefined) return { ...counts, completeAt: counts.completeAt, heapMaxMb: heapMaxMb || undefined };
    if (counts.distinct !== last) {
      last = counts.distinct;
      lastChange = Date.now();
    }
    const ended = child.ended();
    if (ended) throw new Error(`sendtrail ended (${ended}) with ${counts.distinct} of ${options.count} messages at the sink`);
    if (Date.now() - lastChange > STALL_MS) {
      throw new Error(`no progress for ${STALL_MS / 1000} s: the sink has ${counts.distinct} of ${options.count} messages`);
    }
    if (Date.now() - lastLog >= 10_000) {
      lastLog = Date.now();
      const rss = memoryOf(child.pid)?.rssMb;
      // From Sendtrail's own /metrics, seldom: it also counts the queue, which costs a query.
      const heap = await heapOf(child.url);
      if (heap) heapMaxMb = Math.max(heapMaxMb, heap.usedMb);
      options.log(
        `${label}: ${counts.distinct.toLocaleString('en-US')} / ${options.count.toLocaleString('en-US')} at the sink, sendtrail RSS ${rss?.toFixed(0)} MB` +
          (heap ? `, JS heap used ${heap.usedMb.toFixed(0)} MB, external ${heap.externalMb.toFixed(0)} MB` : ''),
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** JS heap used and external memory (PGlite's WASM memory counts as external) from /metrics. */
async function heapOf(url: string): Promise<{ usedMb: number; externalMb: number } | undefined> {
  const text = await fetch(`${url}/metrics`).then((r) => r.text(), () => '');
  const gauge = (name: string) => Number(new RegExp(`^sendtrail_${name} (\\S+)`, 'm').exec(text)?.[1] ?? NaN) / 2 ** 20;
  const usedMb = gauge('nodejs_heap_size_used_bytes');
  return Number.isNaN(usedMb) ? undefined : { usedMb, externalMb: gauge('nodejs_external_memory_bytes') };
}

const fetchStats = (child: SendtrailProcess, campaignId: string) =>
  fetch(`${child.url}/v1/campaigns/${campaignId}/stats`, { headers: { authorization: `Bearer ${BENCH_API_KEY}` } });

/** How long GET /v1/campaigns/:id/stats takes over the finished campaign (it runs on PGlite's thread). */
async function timeStatsReads(child: SendtrailProcess, campaignId: string): Promise<{ median: number; max: number }> {
  const times: number[] = [];
  for (let i = 0; i < STATS_READS; i++) {
    const started = now();
    const response = await fetchStats(child, campaignId);
    await response.arrayBuffer();
    if (!response.ok) throw new Error(`GET /v1/campaigns/${campaignId}/stats answered ${response.status}`);
    times.push(now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, max: times[times.length - 1]! };
}

/**
 * Reads GET /v1/campaigns/:id/stats until it counts every email as sent: the outcome of the last
 * message is committed a few ms after the sink accepted it.
 */
async function waitForSentStats(child: SendtrailProcess, campaignId: string, count: number): Promise<Record<string, number>> {
  const deadline = Date.now() + STATS_TIMEOUT_MS;
  let statuses: Record<string, number> = {};
  while (Date.now() < deadline) {
    const response = await fetchStats(child, campaignId);
    const body = await response.json().catch(() => undefined);
    if (!response.ok) throw new Error(`GET /v1/campaigns/${campaignId}/stats answered ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
    statuses = statusCountsIn(body);
    if ((statuses.sent ?? 0) >= count) return statuses;
    await new Promise((r) => setTimeout(r, 250));
  }
  return statuses;
}

async function checkDelivery(
  sink: SinkProcess,
  statusCountsInDb: ((campaignId: string) => Promise<Record<string, number>>) | undefined,
  campaignId: string,
  count: number,
  statuses: Record<string, number>,
): Promise<string[]> {
  const problems: string[] = [];
  // A late duplicate (a message sent twice) would arrive after the last distinct one: give it time.
  await new Promise((r) => setTimeout(r, 2000));
  const counts = await sink.counts();
  const verified = await sink.verify(RECIPIENT, count);
  if (counts.total !== count) problems.push(`the sink received ${counts.total} messages for ${count} recipients (${counts.distinct} distinct)`);
  if (verified.missing > 0) problems.push(`${verified.missing} recipients never reached the sink`);
  if (verified.unexpected > 0) problems.push(`${verified.unexpected} unexpected recipients at the sink, e.g. ${verified.unexpectedSample.join(', ')}`);
  if (statuses.sent !== count || statuses.total !== count) {
    problems.push(`API stats: ${JSON.stringify(statuses)}, expected sent = total = ${count}`);
  }
  if (statusCountsInDb) {
    const inDb = await statusCountsInDb(campaignId);
    if (inDb.sent !== count || Object.keys(inDb).length !== 1) problems.push(`emails in the database by status: ${JSON.stringify(inDb)}, expected {"sent":${count}}`);
  }
  return problems;
}

/** Restarts Sendtrail against the probe sink, sends one campaign email and verifies its DKIM signature. */
async function checkDkimSignature(sink: SinkProcess, env: SendtrailEnv, record: DkimRecord, options: RunOptions): Promise<string> {
  const child = await startSendtrail({ ...env, SMTP_URL: `smtp://127.0.0.1:${sink.probePort}` });
  try {
    const body = { ...campaignBody(1, 'dkim probe'), recipients: [{ email: 'probe@example.org', data: { first: 'Probe' } }] };
    const response = await fetch(`${child.url}/v1/campaigns`, {
      method: 'POST',
      headers: { authorization: `Bearer ${BENCH_API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) return `probe campaign refused (${response.status})`;
    const deadline = Date.now() + 30_000;
    let raws: string[] = [];
    while (raws.length === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      raws = await sink.probeMessages();
    }
    if (raws.length === 0) return 'the probe message never arrived';
    const resolver = async (name: string) => {
      if (name.toLowerCase() === record.name) return [[record.value]];
      throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    };
    const { results } = await dkimVerify(Buffer.from(raws[0]!), { resolver });
    const found = results.map((r) => `${r.status.result} (d=${r.signingDomain}, s=${r.selector ?? '?'})`).join('; ');
    options.log(`DKIM probe: ${found || 'no signature'}`);
    return found || 'no DKIM-Signature header';
  } finally {
    await child.stop();
  }
}

type DkimRecord = { name: string; value: string };

// `domains add` prints: `<selector>._domainkey.<domain>  TXT  "v=DKIM1; k=rsa; p=..."`.
function parseDkimRecord(output: string): DkimRecord {
  const m = /^(\S+\._domainkey\.\S+)\s+TXT\s+"([^"]+)"/m.exec(output);
  if (!m) throw new Error(`could not find the DKIM record in the output of "sendtrail domains add":\n${output}`);
  if (!/k=rsa/.test(m[2]!)) throw new Error(`expected an RSA key, got: ${m[2]}`);
  return { name: m[1]!.toLowerCase(), value: m[2]! };
}

/** `counts` of the stats body, without the statuses at zero. */
function statusCountsIn(body: unknown): Record<string, number> {
  const counts = (body as { counts?: Record<string, number> } | undefined)?.counts ?? {};
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}
