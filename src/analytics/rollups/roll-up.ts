// One batch of the log folded into the rollups, exactly once: the events after the cursor, their
// emails' deltas, the rollup rows and the cursor's move are one transaction. A crash anywhere in it
// leaves the cursor where it was and the rollups as they were; the batch is folded again in full.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { notify } from '../../store/open-store.ts';
import { readLogEvents, type LogCursor, type LogEvent } from '../../events/index.ts';
import type { Client } from '../clients.ts';
import { STATS_CHANNEL, statsPayload } from '../stats-channel.ts';
import { lockCursor, saveCursor } from '../../store/log-cursors.repository.ts';
import { loadEmailDimensions, loadEmailLogs, type LoggedEmailEvent } from './email-log.repository.ts';
import { FIRST_EVENTS, type CachedEmail, type CachedLogs, type EmailLogCache } from './email-log-cache.ts';
import { foldBatch, NO_CAMPAIGN, type EmailToFold } from './fold-batch.ts';
import { createDimsInterner, type DimsInterner } from './fold-dims.ts';
import { writeDeltas } from './write-deltas.repository.ts';

export const STATS_CURSOR = 'stats';

export type RollupDeps = {
  db: Kysely<Database>;
  /**
   * Each recipient domain's mailbox provider, decided once per domain (see providers.ts). Inside a
   * batch it is asked with `decide: false`: a domain not decided yet is looked up after the batch's
   * transaction, since an MX lookup can take seconds and must hold neither the cursor's lock nor,
   * on PGlite, the one connection.
   */
  providers: { providersOf(domains: readonly string[], options?: { db?: Kysely<Database>; decide?: boolean }): Promise<Map<string, string>> };
  clientOf(ua: string): Client;
  batchSize?: number;
  /** The logs of recently folded emails, kept by the scheduler's loop between its batches. */
  cache?: EmailLogCache;
  /** Shares one breakdown among the emails that have it (kept with the cache). */
  interner?: DimsInterner;
  /** Tests: called inside the batch's transaction after the rollups are written, before the cursor moves. */
  beforeCursorMoves?: () => Promise<void> | void;
};

export const DEFAULT_BATCH = 2000;

type Folded = { events: number; from: LogCursor; cursor: LogCursor; emails: Map<string, CachedEmail> };

export async function rollUpBatch(deps: RollupDeps): Promise<{ events: number; cursor: LogCursor }> {
  const outcome = await deps.db.transaction().execute((trx) => foldNext(trx, deps));
  if ('undecided' in outcome) {
    // Nothing was written: decide the new domains, then fold the batch.
    await deps.providers.providersOf(outcome.undecided);
    return rollUpBatch(deps);
  }
  deps.cache?.advance(outcome.from, outcome.cursor, outcome.emails);
  return { events: outcome.events, cursor: outcome.cursor };
}

async function foldNext(trx: Kysely<Database>, deps: RollupDeps): Promise<Folded | { undecided: string[] }> {
  const before = await lockCursor(trx, STATS_CURSOR);
  const events = await readLogEvents(trx, { after: before, limit: deps.batchSize ?? DEFAULT_BATCH });
  if (events.length === 0) return { events: 0, from: before, cursor: before, emails: new Map() };
  const last = events.at(-1)!;
  const end: LogCursor = { txid: last.txid, id: last.id };

  const emails = await emailsOf(trx, events, end, deps.cache?.at(before), deps.interner ?? createDimsInterner());
  const domains = [...new Set([...emails.values()].map((e) => e.dims.recipientDomain))];
  const providers = await deps.providers.providersOf(domains, { db: trx, decide: false });
  const undecided = domains.filter((d) => !providers.has(d));
  if (undecided.length > 0) return { undecided };

  const toFold: EmailToFold[] = [...emails.values()].map(({ dims, log, tally }) => ({
    projectId: dims.projectId,
    campaignId: dims.campaignId,
    tags: dims.tags,
    sendingDomain: dims.sendingDomain,
    provider: providers.get(dims.recipientDomain) ?? 'other',
    log,
    earlier: tally,
  }));
  const { deltas, tallies } = foldBatch(toFold, before, deps.clientOf);
  await writeDeltas(trx, deltas);
  await deps.beforeCursorMoves?.();
  await saveCursor(trx, STATS_CURSOR, end);
  await notify(trx, STATS_CHANNEL, statsPayload(toFold.map((e) => e.campaignId ?? NO_CAMPAIGN)));
  // What the cache keeps for the next batch: each log up to this batch's end and its tally.
  const folded = new Map<string, CachedEmail>();
  let i = 0;
  for (const [id, { dims, log }] of emails) folded.set(id, { dims, log, tally: tallies[i++] });
  return { events: events.length, from: before, cursor: end, emails: folded };
}

/**
 * The emails a batch touched, each with its log up to the batch's end: a cached log (up to the
 * batch's start, with its tally when kept) plus its events in the batch; its events in the batch
 * alone when they begin with its first event (an email has no event before the one written with
 * it, and the log runs in commit order); or its log read from the database. Only emails the cache
 * does not hold are looked up in `emails`.
 */
async function emailsOf(
  trx: Kysely<Database>,
  events: readonly LogEvent[],
  end: LogCursor,
  cached: CachedLogs | undefined,
  intern: DimsInterner,
): Promise<Map<string, CachedEmail>> {
  const inBatch = new Map<string, LoggedEmailEvent[]>();
  for (const e of events) {
    let list = inBatch.get(e.email_id);
    if (!list) inBatch.set(e.email_id, (list = []));
    list.push({ id: e.id, txid: e.txid, event_type: e.event_type, metadata: e.metadata, created_at: e.created_at });
  }
  const emails = new Map<string, CachedEmail>();
  const unknown: string[] = [];
  for (const [id, added] of inBatch) {
    const c = cached?.get(id);
    if (!c) {
      unknown.push(id);
      continue;
    }
    // New arrays: the cache's own stay as they are until the batch commits. The policy reads a
    // log in id order, which the log order (txid, id) need not be.
    emails.set(id, { dims: c.dims, log: [...c.log, ...added].sort((a, b) => a.id - b.id), tally: c.tally });
  }
  if (unknown.length === 0) return emails;
  const unread = unknown.filter((id) => !FIRST_EVENTS.has(inBatch.get(id)![0]!.event_type));
  const dims = await loadEmailDimensions(trx, unknown);
  const logs = unread.length > 0 ? await loadEmailLogs(trx, unread, end) : new Map<string, LoggedEmailEvent[]>();
  for (const id of unknown) {
    const d = dims.get(id);
    // Every event names a stored email (a foreign key); one gone would have nothing to count under.
    if (!d) continue;
    emails.set(id, { dims: intern(d), log: logs.get(id) ?? inBatch.get(id)!.sort((a, b) => a.id - b.id) });
  }
  return emails;
}
