// The campaign expander: turns staged recipients of sending and scheduled campaigns into emails
// and their queued events, one short transaction per batch, in any number of processes at once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify, type Notifier } from '../store/open-store.ts';
import { QUEUE_CHANNEL } from '../sending/index.ts';
import { startNotifiedTask } from '../store/notified-task.ts';
import type { BackgroundTask, TaskLog } from '../shared/background-task.ts';
import type { CampaignRow } from './campaigns.repository.ts';
import { insertCampaignEmails, takeStagedChunk } from './campaign-emails.repository.ts';
import { emailTargetOf, futureScheduleOf } from './email-target.ts';

/**
 * Expands one chunk (up to BATCH_ROWS recipients) of one campaign; returns how many emails it created (0: nothing to do). The
 * campaign row is locked (SKIP LOCKED: another expander takes another campaign), which also
 * orders the batch against a concurrent cancel or upload of that campaign.
 */
export async function expandNextBatch(db: Kysely<Database>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    // Raw SQL: FOR UPDATE OF ... SKIP LOCKED over an EXISTS filter.
    const { rows } = await sql<CampaignRow>`
      SELECT c.* FROM campaigns c
      WHERE c.status IN ('sending', 'scheduled')
        AND EXISTS (SELECT 1 FROM campaign_recipient_chunks r WHERE r.campaign_id = c.id)
      ORDER BY c.id
      LIMIT 1
      FOR UPDATE OF c SKIP LOCKED
    `.execute(trx);
    const campaign = rows[0];
    if (!campaign) return 0;
    const chunk = await takeStagedChunk(trx, campaign.id);
    return chunk ? insertCampaignEmails(trx, emailTargetOf(campaign, futureScheduleOf(campaign)), chunk) : 0;
  });
}

export type CampaignExpander = BackgroundTask;

export function startCampaignExpander(deps: {
  db: Kysely<Database>;
  notifier: Notifier;
  log?: TaskLog;
  pollMs?: number;
}): Promise<CampaignExpander> {
  return startNotifiedTask(deps.notifier, QUEUE_CHANNEL, {
    name: 'expanding campaign recipients',
    intervalMs: deps.pollMs ?? 1000,
    errorDelayMs: 1000,
    log: deps.log,
    async run() {
      if ((await expandNextBatch(deps.db)) === 0) return undefined;
      await notify(deps.db, QUEUE_CHANNEL).catch(() => {});
      // At once, yielding between batches (on PGlite, queries share one thread).
      return 0;
    },
  });
}
