// The campaign expander: turns staged recipients of sending and scheduled campaigns into emails
// and their queued events, one short transaction per batch, in any number of processes at once.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify, type Notifier } from '../store/open-store.ts';
import { QUEUE_CHANNEL } from '../sending/index.ts';
import { createWakeableSleep } from '../shared/wakeable-sleep.ts';
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

export type CampaignExpander = { stop(): Promise<void> };

export async function startCampaignExpander(deps: {
  db: Kysely<Database>;
  notifier: Notifier;
  log?: { error(obj: unknown, msg?: string): void };
  pollMs?: number;
}): Promise<CampaignExpander> {
  let stopped = false;
  const { sleep, wake } = createWakeableSleep();
  const unlisten = await deps.notifier.listen(QUEUE_CHANNEL, wake);

  const loop = async () => {
    while (!stopped) {
      let created = 0;
      try {
        created = await expandNextBatch(deps.db);
      } catch (err) {
        deps.log?.error({ err }, 'expanding campaign recipients failed');
        await sleep(1000);
        continue;
      }
      if (created > 0) {
        await notify(deps.db, QUEUE_CHANNEL).catch(() => {});
        // Give the event loop to others between batches (on PGlite, queries share one thread).
        await new Promise((r) => setImmediate(r));
      } else {
        await sleep(deps.pollMs ?? 1000);
      }
    }
  };
  const running = loop();
  return {
    async stop() {
      stopped = true;
      wake();
      await running;
      await unlisten().catch(() => {});
    },
  };
}
