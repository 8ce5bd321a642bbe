// Use case: POST /v1/campaigns/:id/send: a draft's recipients become emails, queued or scheduled.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify } from '../store/open-store.ts';
import { AppError } from '../shared/app-error.ts';
import { QUEUE_CHANNEL } from '../sending/index.ts';
import { findCampaign, lockCampaign, updateCampaign } from './campaigns.repository.ts';
import { insertCampaignEmails, takeStagedRecipients } from './campaign-emails.repository.ts';
import { BATCH_ROWS } from './campaign-limits.ts';
import { campaignJson, type CampaignJson } from './campaign-view.ts';
import { campaignStatus } from './campaign-status.ts';
import { emailTargetOf, futureScheduleOf } from './email-target.ts';

/**
 * Moves the draft's list into the emails table in batches, all in one transaction, so the campaign
 * is sent whole or stays a draft. A scheduled_at still ahead makes the emails `scheduled`.
 */
export async function sendCampaign(db: Kysely<Database>, projectId: string, id: string): Promise<CampaignJson> {
  const queued = await db.transaction().execute(async (trx) => {
    const c = await lockCampaign(trx, projectId, id);
    if (!c) throw new AppError('not_found', 'No such campaign');
    if (c.status !== 'draft') {
      const status = campaignStatus(c.status, c.scheduled_at, c.has_pending);
      throw new AppError('campaign_not_editable', `The campaign is ${status}: only a draft can be sent`, { status });
    }
    const scheduledAt = futureScheduleOf(c);
    const target = emailTargetOf(c, scheduledAt);
    let moved = 0;
    for (let after = ''; ; ) {
      const batch = await takeStagedRecipients(trx, id, after, BATCH_ROWS);
      if (batch.last === undefined) break;
      moved += await insertCampaignEmails(trx, target, batch, false);
      after = batch.last;
    }
    await updateCampaign(trx, id, { status: scheduledAt ? 'scheduled' : 'sending', scheduled_at: scheduledAt });
    return !scheduledAt && moved > 0;
  });
  if (queued) await notify(db, QUEUE_CHANNEL).catch(() => {});
  return campaignJson((await findCampaign(db, projectId, id))!);
}
