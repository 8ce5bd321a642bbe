// One batch of the log folded into the rollups, exactly once: the events after the cursor, their
// emails' deltas, the rollup rows and the cursor's move are one transaction. A crash anywhere in it
// leaves the cursor where it was and the rollups as they were; the batch is folded again in full.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { notify } from '../../store/open-store.ts';
import { readLog, type LogCursor } from '../../events/index.ts';
import type { Client } from '../clients.ts';
import { STATS_CHANNEL, statsPayload } from '../stats-channel.ts';
import { lockCursor, readCursor, saveCursor } from './rollup-cursors.repository.ts';
import { loadEmailDimensions, loadEmailLogs, recipientsAhead } from './email-log.repository.ts';
import { domainOf, foldBatch, NO_CAMPAIGN, type EmailToFold } from './fold-batch.ts';
import { writeDeltas } from './write-deltas.repository.ts';

export const STATS_CURSOR = 'stats';

export type RollupDeps = {
  db: Kysely<Database>;
  /** Each recipient domain's mailbox provider, decided once per domain (see providers.ts). */
  providers: { providersOf(domains: readonly string[]): Promise<Map<string, string>> };
  clientOf(ua: string): Client;
  batchSize?: number;
  /** Tests: called inside the batch's transaction after the rollups are written, before the cursor moves. */
  beforeCursorMoves?: () => Promise<void> | void;
};

export const DEFAULT_BATCH = 2000;

export async function rollUpBatch(deps: RollupDeps): Promise<{ events: number; cursor: LogCursor }> {
  const { db } = deps;
  const limit = deps.batchSize ?? DEFAULT_BATCH;
  // Providers of new recipient domains are looked up before the transaction: an MX lookup can take
  // a second, and must hold neither the cursor's lock nor, on PGlite, the one connection.
  const ahead = await recipientsAhead(db, await readCursor(db, STATS_CURSOR), limit);
  if (ahead.length === 0) return { events: 0, cursor: await readCursor(db, STATS_CURSOR) };
  await deps.providers.providersOf([...new Set(ahead.map(domainOf))]);

  return db.transaction().execute(async (trx) => {
    const before = await lockCursor(trx, STATS_CURSOR);
    const events = await readLog(trx, { after: before, limit });
    if (events.length === 0) return { events: 0, cursor: before };
    const last = events.at(-1)!;
    const end: LogCursor = { txid: last.txid, id: last.id };
    const ids = [...new Set(events.map((e) => e.email_id))];
    const logs = await loadEmailLogs(trx, ids, end);
    const dims = await loadEmailDimensions(trx, ids);
    const providers = await deps.providers.providersOf([...new Set([...dims.values()].map((d) => domainOf(d.toAddress)))]);
    const emails: EmailToFold[] = [];
    for (const id of ids) {
      const d = dims.get(id);
      if (!d) continue;
      emails.push({
        projectId: d.projectId,
        campaignId: d.campaignId,
        tags: d.tags,
        sendingDomain: domainOf(d.fromAddress),
        provider: providers.get(domainOf(d.toAddress)) ?? 'other',
        log: logs.get(id) ?? [],
      });
    }
    await writeDeltas(trx, foldBatch(emails, before, deps.clientOf));
    await deps.beforeCursorMoves?.();
    await saveCursor(trx, STATS_CURSOR, end);
    await notify(trx, STATS_CHANNEL, statsPayload(emails.map((e) => e.campaignId ?? NO_CAMPAIGN)));
    return { events: events.length, cursor: end };
  });
}
