// Rollup lag under a steady write load: the scheduler's loop (startRollups with the store's
// notifier, as src/roles/scheduler.ts runs it) while a writer appends events through appendEvents, a
// batch every 100 ms, at a fixed rate for a bounded time. The events are a campaign being sent and
// read (each new email queued, sent, delivered or bounced, then opened, scanned, clicked, as in the
// generated month, its life compressed into seconds) plus opens and clicks on older emails of the
// month. Each batch's lag runs from the moment its append returned (committed) to the first
// announcement on the stats channel after which the rollup cursor is at or past its last event.
// The writer first runs a few seconds alone, rollups stopped, so that its own CPU per event can be
// told from the rollups'; the rollups then catch up before the measured run starts.
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import type { Store } from '../../src/store/open-store.ts';
import { appendEvents, type NewEvent } from '../../src/events/index.ts';
import { STATS_CURSOR, catchUpRollups, startRollups, type RollupDeps } from '../../src/analytics/rollups/index.ts';
import { STATS_CHANNEL } from '../../src/analytics/stats-channel.ts';
import { newId } from '../../src/shared/ids.ts';
import { cpuMeter, type CpuUse } from './cpu.ts';
import type { RowCount, RowCounter } from './rollup-cost.ts';
import { latencyOf, type Latency } from './queries.ts';
import {
  CAMPAIGN_FROM, CLICK_UAS, LINKS_PER_EMAIL, MPP_UA, OPEN_UAS, RATES, RECIPIENT_DOMAINS, SCANNER_UA, linkUrl, type DomainKind,
} from './traffic.ts';

const TICK_MS = 100;
/** Share of each batch that is opens and clicks on older emails of the month. */
const OLD_SHARE = 0.15;
/** Events of an email's life, on average (the generated month's figure). */
const EVENTS_PER_EMAIL = 5;
const DRAIN_MS = 30_000;

export type LagResult = {
  rate: number;
  seconds: number;
  events: number;
  batches: number;
  /** Events per second the writer achieved (it catches up when an append runs late). */
  achievedRate: number;
  /** Lag of each batch, ms. */
  lag: Latency;
  /** Batches the rollups had not folded when the drain gave up. */
  notFolded: number;
  append: Latency;
  /** Rollup batches committed (announcements on the stats channel) during the run. */
  rollupBatches: number;
  /** Rollup runs that failed (the loop logs them and tries again later). */
  rollupErrors: string[];
  /** Statements the rollups ran and rows they read back during the run. */
  rollupRows: RowCount;
  /** The whole lag run: writer and rollups. */
  cpu: CpuUse;
  /** The writer for a few seconds before, with the rollups stopped. */
  writerAlone: { events: number; cpu: CpuUse; append: Latency };
  mix: Record<string, number>;
};

type Person = { id: string; to: string; kind: DomainKind; openUa: string; clickUa: string; ip: string };

const kindOf = (address: string): DomainKind => RECIPIENT_DOMAINS.find((d) => address.endsWith(`@${d.domain}`))?.kind ?? 'company';
const pickOf = <T>(xs: readonly T[], u: number): T => xs[Math.min(xs.length - 1, Math.floor(u * xs.length))]!;
const octet = () => 1 + Math.floor(Math.random() * 250);

function personOf(id: string, to: string): Person {
  const kind = kindOf(to);
  const u = Math.random();
  return { id, to, kind, openUa: pickOf(OPEN_UAS[kind], u), clickUa: pickOf(CLICK_UAS[kind], u), ip: `203.0.${octet()}.${octet()}` };
}

function domainByShare(u: number): string {
  let sum = 0;
  for (const d of RECIPIENT_DOMAINS) if (u < (sum += d.share)) return d.domain;
  return RECIPIENT_DOMAINS.at(-1)!.domain;
}

/** The live campaign and its emails, inserted before the run as the campaign's expansion would. */
async function prepareLiveCampaign(db: Kysely<Database>, projectId: string, count: number): Promise<{ campaignId: string; people: Person[] }> {
  const campaignId = newId();
  const from = CAMPAIGN_FROM[0];
  await db.insertInto('campaigns').values({
    id: campaignId, project_id: projectId, name: 'Live campaign', from_address: from, subject: 'Live: new this week',
    html: '<p>Hello {{data.first}}</p>', tags: JSON.stringify(['newsletter']), track_opens: true, track_clicks: true, status: 'sending', recipient_count: count,
  }).execute();
  const people: Person[] = [];
  for (let i = 0; i < count; i += 5000) {
    const ids: string[] = [];
    const tos: string[] = [];
    for (let j = i; j < Math.min(count, i + 5000); j++) {
      const id = newId();
      const to = `live.${j}@${domainByShare(Math.random())}`;
      ids.push(id);
      tos.push(to);
      people.push(personOf(id, to));
    }
    await sql`
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, tags, data, status, priority, message_id)
      SELECT r.id, ${projectId}::uuid, ${campaignId}::uuid, ${from}, r.to_address, '["newsletter"]'::jsonb, '{"first":"Ada"}'::jsonb, 'queued', 1,
             '<' || r.id || '@notify.example-shop.com>'
      FROM unnest(${ids}::uuid[], ${tos}::text[]) AS r(id, to_address)
    `.execute(db);
  }
  return { campaignId, people };
}

/** Events of the run, by the tick they are due at. */
class Schedule {
  private readonly due = new Map<number, NewEvent[]>();
  private overdue: NewEvent[] = [];
  constructor(private readonly projectId: string, private readonly urls: string[]) {}

  at(tick: number, emailId: string, type: NewEvent['type'], metadata: Record<string, unknown> = {}, hit = false): void {
    const e: NewEvent = { projectId: this.projectId, emailId, type, metadata, ...(hit ? { hitId: randomUUID() } : {}) };
    const list = this.due.get(tick);
    if (list) list.push(e);
    else this.due.set(tick, [e]);
  }

  /** Up to `max` events due by `tick`, oldest first; the rest wait for the next batch. */
  take(tick: number, max: number): NewEvent[] {
    const ready = this.overdue.concat(this.due.get(tick) ?? []);
    this.due.delete(tick);
    this.overdue = ready.slice(max);
    return ready.slice(0, max);
  }

  /** One new email's life from `tick` on, as the generated month has it, in seconds rather than days. */
  start(tick: number, p: Person): void {
    const R = RATES;
    const relay = (attempt: number) => ({ transport: 'relay', attempt });
    this.at(tick, p.id, 'queued');
    const u = Math.random();
    const s = tick + 5;
    if (u < R.rejected) return this.at(tick, p.id, 'rejected', { reason: 'suppressed' });
    if (u < R.rejected + R.failed) return this.at(s, p.id, 'failed', { ...relay(1), error: 'Message size exceeds fixed maximum message size' });
    if (u < R.rejected + R.failed + R.hardBounce) {
      return this.at(s, p.id, 'bounced', {
        ...relay(1), bounce_type: 'hard', reason: 'userunknown', status: '5.1.1', reply_code: 550, phase: 'rcpt',
        diagnostic: `550 5.1.1 <${p.to}>: Recipient address rejected: User unknown in virtual mailbox table`,
      });
    }
    const deferral = (attempt: number) => ({ ...relay(attempt), reply_code: 451, diagnostic: '451 4.7.1 Greylisted, please try again later', phase: 'rcpt', retry_at: new Date(Date.now() + 600_000).toISOString() });
    if (u < R.rejected + R.failed + R.hardBounce + R.softBounce) {
      this.at(s, p.id, 'delivery_delayed', deferral(1));
      this.at(s + 10, p.id, 'delivery_delayed', deferral(2));
      return this.at(s + 20, p.id, 'bounced', { ...relay(3), bounce_type: 'soft', reason: 'expired', status: '4.7.1', last_reason: 'blocked', reply_code: 451, diagnostic: '451 4.7.1 Greylisted, please try again later', phase: 'rcpt' });
    }
    const deferred = Math.random() < R.deferred;
    if (deferred) this.at(s, p.id, 'delivery_delayed', deferral(1));
    const sent = deferred ? s + 20 : s;
    this.at(sent, p.id, 'sent', { ...relay(deferred ? 2 : 1), response: `250 2.0.0 Ok: queued as ${randomUUID().slice(0, 10).toUpperCase()}` });
    const d = sent + 10;
    this.at(d, p.id, 'delivered', { source: 'dsn', status: '2.0.0', remote_mta: `mx.${p.to.split('@')[1]}`, diagnostic: 'smtp; 250 2.0.0 OK' });
    const scan = Math.random();
    if (p.kind === 'apple' && scan < R.mppPrefetch) {
      for (let k = 0; k < (scan < 0.3 ? 2 : 1); k++) this.at(d + 2 + Math.floor(Math.random() * 30), p.id, 'open', { ua: MPP_UA, ip: `172.225.${octet()}.${octet()}`, method: 'GET', counted: false, why: 'apple_mpp' }, true);
    }
    if (p.kind === 'company' && scan < R.scanned) {
      const ip = `40.94.${octet()}.${octet()}`;
      this.at(d + 1, p.id, 'open', { ua: SCANNER_UA, ip, method: 'GET', counted: false, why: 'network' }, true);
      for (let l = 0; l < 2; l++) this.at(d + 2, p.id, 'click', { ua: SCANNER_UA, ip, method: 'GET', url: this.urls[l], link_index: l, counted: false, why: 'network' }, true);
    }
    if (p.kind === 'microsoft' && scan < R.headRequest) this.at(d + 1, p.id, 'open', { ua: p.openUa, ip: p.ip, method: 'HEAD', counted: false, why: 'head_request' }, true);
    const opener = Math.random() < R.opener;
    const firstOpen = d + 10 + Math.floor(Math.random() * 150);
    if (opener) {
      const opens = 1 + Math.floor(-Math.log(Math.max(Math.random(), 1e-9)) * R.repeatOpensMean);
      for (let k = 0; k < opens; k++) {
        const coalesced = k > 0 && Math.random() < R.coalesced;
        this.at(firstOpen + (coalesced ? k : k * 20 + Math.floor(Math.random() * 100)), p.id, 'open',
          { ua: p.openUa, ip: p.ip, method: 'GET', ...(coalesced ? { counted: false, why: 'coalesced' } : { counted: true }) }, true);
      }
    }
    if (Math.random() < (opener ? R.clickerIfOpener : R.clickerIfNot)) {
      const clicks = 1 + Math.floor(-Math.log(Math.max(Math.random(), 1e-9)) * R.repeatClicksMean);
      const first = firstOpen + 1 + Math.floor(Math.random() * 20);
      if (!opener) this.at(first, p.id, 'open', { ua: p.clickUa, ip: p.ip, method: 'GET', counted: true, backfilled: true });
      for (let k = 0; k < clicks; k++) {
        const link = Math.floor(Math.random() ** 2 * LINKS_PER_EMAIL);
        this.at(first + k * 4, p.id, 'click', { ua: p.clickUa, ip: p.ip, method: 'GET', url: this.urls[link], link_index: link, counted: true }, true);
      }
    }
    const m = Math.random();
    if (m < R.reply) this.at(d + 20 + Math.floor(Math.random() * 200), p.id, 'reply', { auto: m < R.reply * R.autoReply, from: p.to, subject: 'Re: your email' });
    else if (m < R.reply + R.complaint) this.at(d + 50 + Math.floor(Math.random() * 200), p.id, 'complaint', { source: 'arf', feedback_type: 'abuse' });
    else if (m < R.reply + R.complaint + R.unsubscribe) this.at(d + 30 + Math.floor(Math.random() * 200), p.id, 'unsubscribe', { method: 'one_click', ua: p.clickUa, ip: p.ip }, true);
  }
}

/** A person on an older email of the month opening it again, or clicking. */
function oldHit(projectId: string, p: Person, urls: string[]): NewEvent {
  if (Math.random() < 0.8) return { projectId, emailId: p.id, type: 'open', hitId: randomUUID(), metadata: { ua: p.openUa, ip: p.ip, method: 'GET', counted: true } };
  const link = Math.floor(Math.random() ** 2 * LINKS_PER_EMAIL);
  return { projectId, emailId: p.id, type: 'click', hitId: randomUUID(), metadata: { ua: p.clickUa, ip: p.ip, method: 'GET', url: urls[link], link_index: link, counted: true } };
}

/** `deps.db` carries `counter`, which counts what the rollups read. */
export async function measureLag(
  store: Store,
  deps: RollupDeps,
  counter: RowCounter,
  projectId: string,
  options: { rate: number; seconds: number },
  log: (msg: string) => void,
): Promise<LagResult> {
  const { db } = store;
  const kind = store.kind === 'pglite' ? 'pglite' : 'postgres';
  const perBatch = Math.round((options.rate * TICK_MS) / 1000);
  const ticks = Math.round((options.seconds * 1000) / TICK_MS);
  const aloneTicks = Math.round((Math.min(10, Math.max(2, options.seconds / 6)) * 1000) / TICK_MS);
  const startsPerTick = Math.max(1, Math.round((perBatch * (1 - OLD_SHARE)) / EVENTS_PER_EMAIL));
  const live = await prepareLiveCampaign(db, projectId, startsPerTick * (aloneTicks + ticks));
  const { rows: oldRows } = await sql<{ id: string; to_address: string }>`
    SELECT id, to_address FROM emails
    WHERE project_id = ${projectId} AND status = 'delivered' AND campaign_id IS DISTINCT FROM ${live.campaignId}::uuid
    ORDER BY random() LIMIT 5000
  `.execute(db);
  const old = oldRows.map((r) => personOf(r.id, r.to_address));
  const urls = Array.from({ length: LINKS_PER_EMAIL }, (_, l) => linkUrl('live', l));
  const schedule = new Schedule(projectId, urls);
  const mix: Record<string, number> = {};
  let nextPerson = 0;
  let tick = 0;

  /** Appends a batch every TICK_MS for `count` ticks (catching up when an append ran late). */
  const write = async (count: number, phase: string) => {
    const batches: { resolved: number; n: number }[] = [];
    const appendMs: number[] = [];
    const t0 = performance.now();
    for (let k = 0; k < count; k++, tick++) {
      const wait = t0 + k * TICK_MS - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      for (let j = 0; j < startsPerTick && nextPerson < live.people.length; j++) schedule.start(tick, live.people[nextPerson++]!);
      const batch = schedule.take(tick, perBatch);
      while (batch.length < perBatch) batch.push(oldHit(projectId, pickOf(old, Math.random()), urls));
      if (phase === 'lag') for (const e of batch) mix[e.type] = (mix[e.type] ?? 0) + 1;
      const started = performance.now();
      await appendEvents(db, batch);
      const resolved = performance.now();
      appendMs.push(resolved - started);
      batches.push({ resolved, n: batch.length });
      if ((k + 1) % (10_000 / TICK_MS) === 0) log(`${phase}: ${Math.round((k + 1) / (1000 / TICK_MS))} of ${Math.round((count * TICK_MS) / 1000)} s written`);
    }
    return { batches, appendMs, seconds: (performance.now() - t0) / 1000 };
  };

  // The writer alone first, rollups stopped: its own CPU per event, apart from the rollups'.
  let meter = await cpuMeter(db, kind);
  const alone = await write(aloneTicks, 'writer alone');
  const writerCpu = await meter.end();
  await catchUpRollups(deps, { timeoutMs: 120_000 });
  const { rows: lastRows } = await sql<{ id: number | null }>`SELECT max(id)::bigint AS id FROM events`.execute(db);
  const idBefore = Number(lastRows[0]!.id ?? 0);

  // The cursor, read after each announcement of a committed rollup batch.
  const seen: { t: number; txid: bigint; id: number }[] = [];
  let reading: Promise<void> | undefined;
  let again = false;
  const readCursor = async () => {
    const { rows } = await sql<{ txid: string; event_id: number }>`SELECT txid::text AS txid, event_id FROM rollup_cursors WHERE name = ${STATS_CURSOR}`.execute(db);
    if (rows[0]) seen.push({ t: performance.now(), txid: BigInt(rows[0].txid), id: Number(rows[0].event_id) });
  };
  const onAnnounced = () => {
    if (reading) {
      again = true;
      return;
    }
    reading = (async () => {
      do {
        again = false;
        await readCursor().catch(() => {});
      } while (again);
      reading = undefined;
    })();
  };
  const unlisten = await store.notifier.listen(STATS_CHANNEL, onAnnounced);
  // What the scheduler role starts (src/roles/scheduler.ts), with its defaults.
  const rollupErrors: string[] = [];
  const rollups = await startRollups({
    ...deps,
    notifier: store.notifier,
    log: { error: (obj, msg) => rollupErrors.push(`${msg}: ${((obj as { err?: Error }).err ?? obj) as string}`) },
  });

  try {
    meter = await cpuMeter(db, kind);
    counter.take();
    const run = await write(ticks, 'lag');
    const { batches } = run;

    // The log's own record of each batch: one transaction each, in the order they were written.
    const { rows: logged } = await sql<{ txid: string; max_id: number; n: number }>`
      SELECT e.txid::text AS txid, max(e.id)::bigint AS max_id, count(*)::int AS n FROM events e WHERE e.id > ${idBefore} GROUP BY e.txid ORDER BY e.txid
    `.execute(db);
    const inOrder = logged.every((l, i) => i === 0 || Number(l.max_id) > Number(logged[i - 1]!.max_id));
    if (!inOrder || logged.length !== batches.length || logged.some((l, i) => Number(l.n) !== batches[i]!.n)) {
      throw new Error(`the log holds ${logged.length} transactions since the run began, the writer made ${batches.length} appends`);
    }
    const last = logged.at(-1)!;
    const passed = (s: { txid: bigint; id: number }, l: { txid: string; max_id: number }) => s.txid > BigInt(l.txid) || (s.txid === BigInt(l.txid) && s.id >= Number(l.max_id));
    const drainUntil = performance.now() + DRAIN_MS;
    while (!seen.some((s) => passed(s, last)) && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 20));
    const rollupRows = counter.take();
    const cpu = await meter.end();

    const lags: number[] = [];
    let notFolded = 0;
    let j = 0;
    for (const [i, l] of logged.entries()) {
      while (j < seen.length && !passed(seen[j]!, l)) j++;
      if (j === seen.length) {
        notFolded++;
        continue;
      }
      lags.push(seen[j]!.t - batches[i]!.resolved);
    }
    const events = batches.reduce((a, b) => a + b.n, 0);
    const aloneEvents = alone.batches.reduce((a, b) => a + b.n, 0);
    return {
      rate: options.rate, seconds: options.seconds, events, batches: batches.length,
      achievedRate: events / run.seconds,
      lag: latencyOf(lags), notFolded, append: latencyOf(run.appendMs), rollupBatches: seen.length, rollupErrors, rollupRows, cpu,
      writerAlone: { events: aloneEvents, cpu: writerCpu, append: latencyOf(alone.appendMs) },
      mix,
    };
  } finally {
    await rollups.stop();
    await unlisten();
    await reading;
  }
}
