// Use case: POST /v1/campaigns: the campaign and its recipient list, stored whole or not at all.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import { notify } from '../store/open-store.ts';
import { AppError } from '../shared/app-error.ts';
import { newId } from '../shared/ids.ts';
import { claimIdempotencyKey, formatMailbox, hashRequest, parseMailbox, parseScheduledAt, QUEUE_CHANNEL } from '../sending/index.ts';
import { insertCampaign, type CampaignRow } from './campaigns.repository.ts';
import { stageRecipients, type RecipientBatch } from './campaign-emails.repository.ts';
import { BATCH_ROWS } from './campaign-limits.ts';
import { campaignJson, type CampaignJson } from './campaign-view.ts';
import { collectInlineRecipients, sliceBatch, type InlineRecipient } from './collect-recipients.ts';
import { assertTemplatesParse } from './validate-templates.ts';

export type CreateCampaignInput = {
  name: string;
  from: string;
  subject: string;
  html: string;
  text?: string;
  reply_to?: string;
  headers?: Record<string, string>;
  tags?: string[];
  track_opens?: boolean;
  track_clicks?: boolean;
  recipients?: InlineRecipient[];
  scheduled_at?: string | null;
  draft?: boolean;
  /** A recipient whose data lacks a field the templates name: sent with it empty (default), or rejected. */
  on_missing_field?: 'send' | 'reject';
};

export type CreatedCampaign = CampaignJson & { recipients: { added: number; duplicates: number } };

export async function createCampaign(
  db: Kysely<Database>,
  projectId: string,
  input: CreateCampaignInput,
  idempotencyKey?: string,
): Promise<CreatedCampaign> {
  const row = buildCampaignRow(projectId, input);
  const { batch, duplicates } = collectInlineRecipients(input.recipients ?? []);
  // Sent empty, a campaign would be completed at once and could take no list any more.
  if (row.status !== 'draft' && batch.emails.length === 0) {
    throw new AppError(
      'no_recipients',
      'recipients: a campaign sent now or scheduled needs at least one; create it with "draft": true, add the list (POST /v1/campaigns/:id/recipients), then send it',
    );
  }
  row.recipient_count = batch.emails.length;
  const hasPending = row.status !== 'draft' && batch.emails.length > 0;
  const result: CreatedCampaign = {
    ...campaignJson({ ...row, has_pending: hasPending }),
    recipients: { added: batch.emails.length, duplicates },
  };
  const replay = await transact(db, async (trx) => {
    if (idempotencyKey) {
      const previous = await claimIdempotencyKey(trx, projectId, idempotencyKey, hashRequest(input), result);
      if (previous) return previous.replay as CreatedCampaign;
    }
    await insertCampaign(trx, row);
    await insertRecipients(trx, row, batch);
    return undefined;
  });
  if (replay) return replay;
  if (row.status === 'sending' && hasPending) await notify(db, QUEUE_CHANNEL).catch(() => {});
  return result;
}

// The list is stored durably before the answer; the campaign expander turns it into emails in
// short batches (expand-campaigns.ts), so a 100,000-recipient request neither waits for 100,000
// emails and events nor holds PGlite's only connection for seconds.
async function insertRecipients(trx: Kysely<Database>, row: CampaignRow, batch: RecipientBatch): Promise<void> {
  for (let start = 0; start < batch.emails.length; start += BATCH_ROWS) {
    await stageRecipients(trx, row.id, sliceBatch(batch, start, start + BATCH_ROWS));
  }
}

function buildCampaignRow(projectId: string, input: CreateCampaignInput): CampaignRow {
  const from = parseMailbox(input.from, 'from');
  const replyTo = input.reply_to ? formatMailbox(parseMailbox(input.reply_to, 'reply_to')) : null;
  if (!input.html.trim()) throw new AppError('missing_content', 'html must not be empty');
  assertTemplatesParse({ subject: input.subject, html: input.html, text: input.text });
  // A draft's scheduled_at is judged again when it is sent: still ahead, its emails wait for it.
  const scheduledAt = parseScheduledAt(input.scheduled_at) ?? null;
  const now = new Date();
  return {
    id: newId(),
    project_id: projectId,
    name: input.name,
    from_address: formatMailbox(from),
    reply_to: replyTo,
    subject: input.subject,
    html: input.html,
    text: input.text ?? null,
    headers: input.headers ?? null,
    tags: input.tags ?? null,
    track_opens: input.track_opens ?? true,
    track_clicks: input.track_clicks ?? true,
    status: input.draft ? 'draft' : scheduledAt ? 'scheduled' : 'sending',
    scheduled_at: scheduledAt,
    recipient_count: 0,
    on_missing_field: input.on_missing_field ?? 'send',
    paused_at: null,
    paused_reason: null,
    created_at: now,
    updated_at: now,
  };
}
