// Use case: POST /v1/campaigns/:id/recipients: append a streamed NDJSON or CSV list, all or nothing.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify } from '../store/open-store.ts';
import { AppError } from '../shared/app-error.ts';
import { QUEUE_CHANNEL } from '../sending/index.ts';
import { addToRecipientCount, findCampaign, lockCampaign, type CampaignWithProgress } from './campaigns.repository.ts';
import { addressesWithEmails, stageRecipients, stagedAddresses } from './campaign-emails.repository.ts';
import { BATCH_ROWS, MAX_REPORTED_PROBLEMS } from './campaign-limits.ts';
import { campaignStatus } from './campaign-status.ts';
import { withoutSeen } from './collect-recipients.ts';
import { parseRecipientsStream, type BadLine, type RecipientsFormat } from './parse-recipients-stream.ts';
import { RecipientSpool } from './recipient-spool.ts';

export type AddRecipientsOptions = {
  format: RecipientsFormat;
  /** Skip bad lines and count them, instead of refusing the whole list (the default). */
  skipInvalid: boolean;
};

export type AddedRecipients = { added: number; duplicates: number; invalid: number; invalid_lines: BadLine[]; recipient_count: number };

export async function addRecipients(
  db: Kysely<Database>,
  projectId: string,
  campaignId: string,
  body: AsyncIterable<Buffer | string>,
  options: AddRecipientsOptions,
): Promise<AddedRecipients> {
  // Refuse before reading what may be hundreds of MB.
  assertAcceptsRecipients(await findCampaign(db, projectId, campaignId));
  const spool = new RecipientSpool(BATCH_ROWS);
  try {
    const { invalid, badLines } = await readIntoSpool(body, options, spool);
    if (invalid > 0 && !options.skipInvalid) {
      const first = badLines[0]!;
      throw new AppError('invalid_recipients_file', `line ${first.line}: ${first.reason}` + (invalid > 1 ? ` (${invalid} bad lines in all; nothing was added)` : ' (nothing was added)'), {
        invalid_count: invalid,
        lines: badLines,
      });
    }
    const committed = await commitSpool(db, projectId, campaignId, spool);
    if (committed.queued) await notify(db, QUEUE_CHANNEL).catch(() => {});
    return { added: committed.added, duplicates: spool.size - committed.added, invalid, invalid_lines: badLines, recipient_count: committed.recipientCount };
  } finally {
    await spool.dispose();
  }
}

function assertAcceptsRecipients(c: CampaignWithProgress | undefined): asserts c is CampaignWithProgress {
  if (!c) throw new AppError('not_found', 'No such campaign');
  const status = campaignStatus(c.status, c.scheduled_at, c.has_pending);
  if (status === 'cancelled' || status === 'completed') {
    throw new AppError('campaign_not_editable', `The campaign is ${status}: recipients can no longer be added`, { status });
  }
}

/** Reads the whole body; once a line is bad (and bad lines are not skipped) it only counts. */
async function readIntoSpool(body: AsyncIterable<Buffer | string>, options: AddRecipientsOptions, spool: RecipientSpool) {
  const badLines: BadLine[] = [];
  let invalid = 0;
  for await (const chunk of parseRecipientsStream(body, options.format)) {
    invalid += chunk.bad.length;
    for (const b of chunk.bad) if (badLines.length < MAX_REPORTED_PROBLEMS) badLines.push(b);
    if (invalid > 0 && !options.skipInvalid) continue;
    for (const r of chunk.recipients) spool.add(r.email, r.data);
    await spool.spillIfFull();
  }
  return { invalid, badLines };
}

/**
 * One transaction under the campaign lock: the list grows by the addresses neither on it nor
 * already sent an email by the campaign; the expander turns them into emails.
 */
async function commitSpool(db: Kysely<Database>, projectId: string, campaignId: string, spool: RecipientSpool) {
  return db.transaction().execute(async (trx) => {
    const c = await lockCampaign(trx, projectId, campaignId);
    if (!c) throw new AppError('not_found', 'No such campaign');
    if (c.status === 'cancelled') throw new AppError('campaign_not_editable', 'The campaign was cancelled while the list was uploading', { status: 'cancelled' });
    const seen = await stagedAddresses(trx, campaignId);
    let added = 0;
    for await (const batch of spool.batches()) {
      const emailed = c.status === 'draft' ? new Set<string>() : await addressesWithEmails(trx, projectId, campaignId, batch.emails);
      added += await stageRecipients(trx, campaignId, withoutSeen(batch, seen, emailed));
    }
    await addToRecipientCount(trx, campaignId, added);
    return { added, recipientCount: c.recipient_count + added, queued: c.status !== 'draft' && added > 0 };
  });
}
