// Use case: POST /v1/campaigns/:id/cancel: stop every email not yet handed to a worker.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import { AppError } from '../shared/app-error.ts';
import { lockCampaign, updateCampaign } from './campaigns.repository.ts';
import { cancelEmailsById, dropStagedRecipients, findCancellableEmailIds } from './campaign-emails.repository.ts';
import { BATCH_ROWS } from './campaign-limits.ts';
import { campaignStatus } from './campaign-status.ts';

export type CancelledCampaign = { id: string; status: 'cancelled'; cancelled: number };

/**
 * Cancels the queued and scheduled emails no worker holds, with a `cancelled` event each; emails a
 * worker has claimed finish sending. Batched by id so no statement runs long on PGlite; one
 * transaction, so the campaign is cancelled whole. A draft is cancelled with nothing to stop.
 */
export async function cancelCampaign(db: Kysely<Database>, projectId: string, id: string): Promise<CancelledCampaign> {
  return transact(db, async (trx) => {
    const c = await lockCampaign(trx, projectId, id);
    if (!c) throw new AppError('not_found', 'No such campaign');
    const status = campaignStatus(c.status, c.scheduled_at, c.has_pending);
    if (status === 'cancelled' || status === 'completed') {
      throw new AppError('campaign_not_editable', `The campaign is already ${status}`, { status });
    }
    // Recipients not yet expanded into emails are stopped too; a draft's list was never to be sent.
    const dropped = await dropStagedRecipients(trx, id);
    const ids = await findCancellableEmailIds(trx, id);
    let cancelled = c.status === 'draft' ? 0 : dropped;
    for (let start = 0; start < ids.length; start += BATCH_ROWS) {
      cancelled += await cancelEmailsById(trx, projectId, ids.slice(start, start + BATCH_ROWS));
    }
    await updateCampaign(trx, id, { status: 'cancelled' });
    return { id, status: 'cancelled', cancelled };
  });
}
