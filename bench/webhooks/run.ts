// `npm run bench:webhooks`: webhooks delivered from the event log to a local receiver (issue 21),
// in this process, on PostgreSQL (a fresh database on 127.0.0.1:5432, dropped afterwards) and on
// PGlite (a fresh data dir), with one endpoint subscribed to every event. For each store:
//   1. backlog: --emails emails with 4 events each are logged first, then the outbox (the
//      scheduler's loop) and the sender (the worker's) start; events per second from the start to
//      the last first delivery;
//   2. lag: a writer logs --rate events/s for --lag-seconds with both loops running; the lag of each
//      delivery is its first arrival at the receiver minus the event's created_at (p50, p99);
//   3. outage: the receiver's port is closed for --down-seconds while the writer logs --outage-rate
//      events/s, then reopened; the run waits until every delivery is delivered or given up, and
//      counts what arrived: every event's delivery, none lost, and how many arrived more than once.
//      Retries follow the real schedule (5 s, 5 min, 30 min ...) unless --retry-scale divides it:
//      after 10 minutes down, the last deliveries come about 30 minutes after their first failure.
// Usage: npm run bench:webhooks -- [--store pg|pglite|both] [--emails 2500] [--rate 200]
//                                  [--lag-seconds 30] [--down-seconds 600] [--outage-rate 20] [--retry-scale 1]
import { parseArgs } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { openStore, type Store } from '../../src/store/open-store.ts';
import type { Database } from '../../src/store/database.ts';
import { ensureDefaultProject } from '../../src/projects/default-project.ts';
import { appendEvents, type NewEvent } from '../../src/events/index.ts';
import {
  createAddressPolicy, createEndpoint, createPoster, createSecretBox, DEFAULT_RETRY_SCHEDULE, startOutbox, startWebhookSender, systemResolver,
  type RetrySchedule,
} from '../../src/webhooks/index.ts';
import { createStore, type StoreName } from '../send/stores.ts';
import { machineInfo, markdownTable, whole, fixed } from '../send/report.ts';
import { startBenchReceiver, type BenchReceiver } from './receiver.ts';

const { values } = parseArgs({
  options: {
    store: { type: 'string', default: 'both' },
    emails: { type: 'string', default: '2500' },
    rate: { type: 'string', default: '200' },
    'lag-seconds': { type: 'string', default: '30' },
    'down-seconds': { type: 'string', default: '600' },
    'outage-rate': { type: 'string', default: '20' },
    'retry-scale': { type: 'string', default: '1' },
  },
});
const stores: StoreName[] = values.store === 'both' ? ['pg', 'pglite'] : [values.store as StoreName];
const emails = Number(values.emails);
const rate = Number(values.rate);
const lagSeconds = Number(values['lag-seconds']);
const downSeconds = Number(values['down-seconds']);
const outageRate = Number(values['outage-rate']);
const retryScale = Number(values['retry-scale']);
const TYPES: Array<[NewEvent['type'], Record<string, unknown>]> = [['queued', {}], ['sent', {}], ['delivered', {}], ['open', { counted: true }]];

type Result = { store: StoreName; backlogEvents: number; backlogSeconds: number; lag: { n: number; p50: number; p99: number; max: number }; outage: { expected: number; delivered: number; lost: number; duplicates: number; failed: number; recoverSeconds: number } };

async function logEmails(db: Kysely<Database>, projectId: string, count: number): Promise<number> {
  for (let i = 0; i < count; i += 500) {
    const ids = Array.from({ length: Math.min(500, count - i) }, () => randomUUID());
    await db.insertInto('emails').values(ids.map((id) => ({
      id, project_id: projectId, campaign_id: null, from_address: 'shop@shop.example', to_address: `p${id.slice(0, 8)}@example.org`,
      status: 'queued', priority: 1, message_id: `<${id}@shop.example>`,
    }))).execute();
    await appendEvents(db, ids.flatMap((emailId) => TYPES.map(([type, metadata]) => ({ projectId, emailId, type, metadata }))));
  }
  return count * TYPES.length;
}

/** Logs about `perSecond` events a second (whole emails of 4 events) until `seconds` pass; returns how many. */
async function writeAtRate(db: Kysely<Database>, projectId: string, perSecond: number, seconds: number): Promise<number> {
  const tickMs = 100;
  const emailsPerTick = Math.max(1, Math.round((perSecond / TYPES.length) * (tickMs / 1000)));
  let written = 0;
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const started = Date.now();
    written += await logEmails(db, projectId, emailsPerTick);
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - started))));
  }
  return written;
}

async function deliveryCounts(db: Kysely<Database>) {
  const rows = await db.selectFrom('webhook_deliveries').select(['state']).select((eb) => eb.fn.countAll<string>().as('n')).groupBy('state').execute();
  return Object.fromEntries(rows.map((r) => [r.state, Number(r.n)])) as Record<string, number>;
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

async function runStore(name: StoreName): Promise<Result> {
  const bench = await createStore(name);
  let store: Store | undefined;
  let receiver: BenchReceiver | undefined;
  const stops: Array<() => Promise<void>> = [];
  try {
    store = await openStore(name === 'pg' ? { databaseUrl: bench.env.DATABASE_URL } : { dataDir: bench.dataDir });
    const db = store.db;
    const { projectId } = await ensureDefaultProject(db);
    receiver = await startBenchReceiver();
    const policy = createAddressPolicy(['127.0.0.1/32']);
    const box = createSecretBox('bench-installation-secret');
    await createEndpoint(db, { box, urls: { allowHttp: true, policy, resolver: systemResolver } }, projectId, { url: `${receiver.url}/hook` });
    const schedule: RetrySchedule = { ...DEFAULT_RETRY_SCHEDULE, delaysMs: DEFAULT_RETRY_SCHEDULE.delaysMs.map((d) => d / retryScale) };

    // 1. Backlog.
    const backlogEvents = await logEmails(db, projectId, emails);
    const started = Date.now();
    const outbox = await startOutbox({ db, notifier: store.notifier });
    stops.push(() => outbox.stop());
    const sender = await startWebhookSender({
      db, notifier: store.notifier, box, holder: 'bench', schedule,
      poster: createPoster({ policy, resolver: systemResolver, connectTimeoutMs: 5_000, timeoutMs: 15_000 }),
    });
    stops.push(() => sender.stop());
    await waitUntil(async () => receiver!.firstSeen.size >= backlogEvents, 30 * 60_000);
    const backlogSeconds = (Date.now() - started) / 1000;
    console.error(`${name}: backlog of ${backlogEvents} events delivered in ${backlogSeconds.toFixed(1)} s`);

    // 2. Lag under a steady writer.
    const before = new Set(receiver.firstSeen.keys());
    const lagWritten = await writeAtRate(db, projectId, rate, lagSeconds);
    await waitUntil(async () => receiver!.firstSeen.size >= backlogEvents + lagWritten, 10 * 60_000);
    const lags = [...receiver.firstSeen].filter(([id]) => !before.has(id)).map(([, s]) => s.at - s.createdAt).sort((a, b) => a - b);
    const lag = { n: lags.length, p50: percentile(lags, 50), p99: percentile(lags, 99), max: lags.at(-1) ?? NaN };
    console.error(`${name}: lag at ${rate} events/s: p50 ${lag.p50} ms, p99 ${lag.p99} ms over ${lag.n}`);

    // 3. Outage.
    const expectedBefore = receiver.firstSeen.size;
    const duplicatesBefore = receiver.duplicates;
    await receiver.down();
    const outageWritten = await writeAtRate(db, projectId, outageRate, downSeconds);
    await receiver.up();
    const back = Date.now();
    // A line a minute while it drains (to stderr): how far it got, should the run be cut short.
    let lastReport = back;
    const settled = await waitUntil(async () => {
      const pending = (await deliveryCounts(db)).pending ?? 0;
      if (Date.now() - lastReport >= 60_000) {
        lastReport = Date.now();
        console.error(`${name}: ${((lastReport - back) / 1000).toFixed(0)} s after the receiver came back: ${pending} pending, ${receiver!.firstSeen.size - expectedBefore} of ${outageWritten} outage events arrived`);
      }
      return pending === 0;
    }, 3 * 3_600_000 / retryScale);
    const recoverSeconds = (Date.now() - back) / 1000;
    const counts = await deliveryCounts(db);
    const expected = expectedBefore + outageWritten;
    const delivered = receiver.firstSeen.size;
    const outage = { expected, delivered, lost: expected - delivered, duplicates: receiver.duplicates - duplicatesBefore, failed: counts.failed ?? 0, recoverSeconds };
    console.error(`${name}: outage of ${downSeconds} s, ${outageWritten} events logged meanwhile: ${settled ? 'settled' : 'NOT settled'} ${recoverSeconds.toFixed(0)} s after the receiver came back; ${JSON.stringify(outage)}`);
    return { store: name, backlogEvents, backlogSeconds, lag, outage };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await receiver?.close();
    await store?.close();
    await bench.destroy();
  }
}

const results: Result[] = [];
for (const name of stores) results.push(await runStore(name));
console.log(`\n## bench:webhooks (${new Date().toISOString().slice(0, 10)})\n`);
console.log(Object.entries(machineInfo()).map(([k, v]) => `- ${k}: ${v}`).join('\n'));
console.log(`- options: --emails ${emails} --rate ${rate} --lag-seconds ${lagSeconds} --down-seconds ${downSeconds} --outage-rate ${outageRate} --retry-scale ${retryScale}\n`);
console.log(markdownTable(
  ['store', 'backlog events/s', `lag p50 (ms) at ${rate}/s`, 'lag p99 (ms)', 'outage: expected', 'delivered', 'lost', 'duplicates', 'given up', 'settled after (s)'],
  results.map((r) => [r.store, whole(r.backlogEvents / r.backlogSeconds), whole(r.lag.p50), whole(r.lag.p99), whole(r.outage.expected), whole(r.outage.delivered), whole(r.outage.lost), whole(r.outage.duplicates), whole(r.outage.failed), fixed(r.outage.recoverSeconds, 0)]),
));
process.exit(0);
