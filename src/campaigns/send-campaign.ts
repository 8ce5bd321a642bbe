// Use case: POST /v1/campaigns/:id/send: a draft starts sending (or waits for its scheduled_at).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import { notify } from '../store/open-store.ts';
import { AppError } from '../shared/app-error.ts';
import { QUEUE_CHANNEL } from '../sending/index.ts';
import { findCampaign, lockCampaign, updateCampaign } from './campaigns.repository.ts';
import { campaignJson, type CampaignJson } from './campaign-view.ts';
import { campaignStatus } from './campaign-status.ts';
import { futureScheduleOf } from './email-target.ts';

/**
 * Releases the draft's list to the campaign expander, which turns it into emails in batches. A
 * scheduled_at still ahead makes the emails `scheduled`.
 */
export async function sendCampaign(db: Kysely<Database>, projectId: string, id: string): Promise<CampaignJson> {
  await transact(db, async (trx) => {
    const c = await lockCampaign(trx, projectId, id);
    if (!c) throw new AppError('not_found', 'No such campaign');
    if (c.status !== 'draft') {
      const status = campaignStatus(c.status, c.scheduled_at, c.has_pending);
      throw new AppError('campaign_not_editable', `The campaign is ${status}: only a draft can be sent`, { status });
    }
    if (c.recipient_count === 0) {
      throw new AppError('no_recipients', 'The draft has no recipients: add them (POST /v1/campaigns/:id/recipients), then send it');
    }
    const scheduledAt = futureScheduleOf(c);
    await updateCampaign(trx, id, { status: scheduledAt ? 'scheduled' : 'sending', scheduled_at: scheduledAt });
  });
  await notify(db, QUEUE_CHANNEL).catch(() => {});
  return campaignJson((await findCampaign(db, projectId, id))!);
}
