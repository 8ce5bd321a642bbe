// Pausing a campaign (an alert's critical, issue 21) and resuming it (POST /v1/campaigns/:id/resume).
//
// A paused campaign's waiting emails keep their status (queued, scheduled, delivery_delayed) and
// leave the queue: next_attempt_at NULL takes them out of the claim's index (emails_due is partial
// on next_attempt_at IS NOT NULL), so the claim that every worker runs for every campaign reads
// exactly what it read before, however many emails are paused. The alternative, a condition on the
// campaign in the claim, would put a join or a lookup on every claim of every sender. The cost is
// on the paused campaign alone: one UPDATE per BATCH_ROWS of its emails, found through
// emails_campaign_status_id, in one transaction so a pause or a resume is whole. Emails a worker
// holds finish their attempt; a retry it sets on a paused campaign's email is taken out again at
// the campaign's next alert evaluation (pauseStragglers), and the expander adds no emails to a
// paused campaign.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify } from '../store/open-store.ts';
import { transact } from '../store/transact.ts';
import { AppError } from '../shared/app-error.ts';
import { QUEUE_CHANNEL } from '../sending/index.ts';
import { lockCampaign, updateCampaign } from './campaigns.repository.ts';
import { campaignStatus, PENDING_EMAIL_STATUSES } from './campaign-status.ts';
import { BATCH_ROWS } from './campaign-limits.ts';

export type PausedCampaign = { id: string; paused: boolean; held: number };

/**
 * Pauses the campaign inside the caller's transaction (the alert that decides it commits with it).
 * A campaign sent or scheduled is paused even when nothing waits in the queue just now: recipients
 * added later wait too, and the dashboard says why. A draft, a cancelled or a paused campaign is
 * left as it is: `paused: false`.
 */
export async function pauseCampaign(trx: Kysely<Database>, projectId: string, id: string, reason: string): Promise<PausedCampaign> {
  const c = await lockCampaign(trx, projectId, id);
  if (!c || (c.status !== 'sending' && c.status !== 'scheduled')) return { id, paused: false, held: 0 };
  await updateCampaign(trx, id, { status: 'paused', paused_at: new Date(), paused_reason: reason.slice(0, 500) });
  return { id, paused: true, held: await holdWaitingEmails(trx, id) };
}

/** Emails of a paused campaign that came due again since (a retry set by an attempt in flight at the pause). */
export async function pauseStragglers(trx: Kysely<Database>, id: string): Promise<number> {
  return holdWaitingEmails(trx, id);
}

async function holdWaitingEmails(trx: Kysely<Database>, id: string): Promise<number> {
  let held = 0;
  for (;;) {
    // Raw SQL: a bounded batch of an UPDATE (the builder has no UPDATE ... LIMIT). Leased emails are
    // being sent: their outcome decides them.
    const { numAffectedRows } = await sql`
      UPDATE emails SET next_attempt_at = NULL, updated_at = now()
      WHERE id IN (
        SELECT id FROM emails
        WHERE campaign_id = ${id} AND status = ANY(${[...PENDING_EMAIL_STATUSES]}::text[])
          AND next_attempt_at IS NOT NULL AND (locked_until IS NULL OR locked_until < now())
        LIMIT ${BATCH_ROWS}
      )
    `.execute(trx);
    const n = Number(numAffectedRows ?? 0);
    held += n;
    if (n < BATCH_ROWS) return held;
  }
}

export type ResumedCampaign = { id: string; status: 'sending' | 'scheduled'; resumed: number };

/** Resumes a paused campaign: its emails are due again (scheduled ones at their time), and the expander goes on. */
export async function resumeCampaign(db: Kysely<Database>, projectId: string, id: string): Promise<ResumedCampaign> {
  const result = await transact(db, async (trx) => {
    const c = await lockCampaign(trx, projectId, id);
    if (!c) throw new AppError('not_found', 'No such campaign');
    if (c.status !== 'paused') {
      const status = campaignStatus(c.status, c.scheduled_at, c.has_pending);
      throw new AppError('campaign_not_paused', `The campaign is ${status}: only a paused campaign is resumed`, { status });
    }
    const status = c.scheduled_at && c.scheduled_at.getTime() > Date.now() ? 'scheduled' : 'sending';
    await updateCampaign(trx, id, { status, paused_at: null, paused_reason: null });
    let resumed = 0;
    for (;;) {
      // Raw SQL, batched as above. A scheduled email waits for its time still; a queued or delayed
      // one is due now (a delay's retry time has usually passed during the pause).
      const { numAffectedRows } = await sql`
        UPDATE emails SET next_attempt_at = CASE WHEN status = 'scheduled' THEN greatest(coalesce(scheduled_at, now()), now()) ELSE now() END,
                          updated_at = now()
        WHERE id IN (
          SELECT id FROM emails
          WHERE campaign_id = ${id} AND status = ANY(${[...PENDING_EMAIL_STATUSES]}::text[]) AND next_attempt_at IS NULL
          LIMIT ${BATCH_ROWS}
        )
      `.execute(trx);
      const n = Number(numAffectedRows ?? 0);
      resumed += n;
      if (n < BATCH_ROWS) break;
    }
    return { id, status, resumed } as ResumedCampaign;
  });
  await notify(db, QUEUE_CHANNEL).catch(() => {});
  return result;
}
