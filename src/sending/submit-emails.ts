// Use case: accept POST /v1/emails, one email per `to` recipient, queued durably in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { notify } from '../store/open-store.ts';
import { appendEvents } from '../events/index.ts';
import { AppError } from '../shared/app-error.ts';
import { newId } from '../shared/ids.ts';
import { domainOf, formatMailbox, parseMailbox } from './addresses.ts';
import { insertEmails, type NewEmailRow } from './emails.repository.ts';
import { claimIdempotencyKey, hashRequest } from './idempotency.ts';
import { parseScheduledAt } from './schedule.ts';
import { PRIORITY, QUEUE_CHANNEL } from './queue-constants.ts';

export const MAX_RECIPIENTS_PER_REQUEST = 50;

export type SendEmailInput = {
  from: string;
  to: string | string[];
  cc?: string | string[];
  bcc?: string | string[];
  reply_to?: string | string[];
  subject: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  tags?: string[];
  metadata?: Record<string, unknown>;
  scheduled_at?: string | null;
  track_opens?: boolean;
  track_clicks?: boolean;
};

export type SubmittedEmail = { id: string; to: string; status: 'queued' | 'scheduled' };
export type SubmitResult = { data: SubmittedEmail[] };

const asList = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export async function submitEmails(
  db: Kysely<Database>,
  projectId: string,
  input: SendEmailInput,
  idempotencyKey?: string,
): Promise<SubmitResult> {
  const rows = buildEmailRows(projectId, input);
  const result: SubmitResult = {
    data: rows.map((r) => ({ id: r.id, to: r.to_address, status: r.status as SubmittedEmail['status'] })),
  };
  const replay = await db.transaction().execute(async (trx) => {
    if (idempotencyKey) {
      const previous = await claimIdempotencyKey(trx, projectId, idempotencyKey, hashRequest(input), result);
      if (previous) return previous.replay as SubmitResult;
    }
    await insertEmails(trx, rows);
    await appendEvents(trx, rows.map((r) => ({ projectId, emailId: r.id, type: r.status as 'queued' | 'scheduled' })));
    return undefined;
  });
  if (replay) return replay;
  await notify(db, QUEUE_CHANNEL).catch(() => {});
  return result;
}

function buildEmailRows(projectId: string, input: SendEmailInput): Array<NewEmailRow & { id: string; status: string; to_address: string }> {
  const to = asList(input.to);
  if (to.length === 0) throw new AppError('invalid_recipient', 'to: at least one recipient is required');
  if (to.length > MAX_RECIPIENTS_PER_REQUEST) {
    throw new AppError('too_many_recipients', `to: at most ${MAX_RECIPIENTS_PER_REQUEST} recipients per request`);
  }
  if (!input.html && !input.text) throw new AppError('missing_content');
  const from = parseMailbox(input.from, 'from');
  const recipients = to.map((t, i) => parseMailbox(t, `to[${i}]`));
  const cc = asList(input.cc).map((a, i) => formatMailbox(parseMailbox(a, `cc[${i}]`)));
  const bcc = asList(input.bcc).map((a, i) => parseMailbox(a, `bcc[${i}]`).address);
  const replyTo = asList(input.reply_to).map((a, i) => formatMailbox(parseMailbox(a, `reply_to[${i}]`)));
  const scheduledAt = parseScheduledAt(input.scheduled_at);
  const status = scheduledAt ? 'scheduled' : 'queued';
  return recipients.map((rcpt, i) => {
    const id = newId();
    return {
      id,
      project_id: projectId,
      from_address: formatMailbox(from),
      to_address: rcpt.address,
      // cc and bcc ride with the first email only, so each of them receives one copy.
      cc: i === 0 && cc.length ? JSON.stringify(cc) : null,
      bcc: i === 0 && bcc.length ? JSON.stringify(bcc) : null,
      reply_to: replyTo.length ? JSON.stringify(replyTo) : null,
      subject: input.subject,
      html: input.html ?? null,
      text: input.text ?? null,
      headers: input.headers ? JSON.stringify(input.headers) : null,
      tags: input.tags ? JSON.stringify(input.tags) : null,
      metadata: input.metadata ? JSON.stringify(input.metadata) : null,
      data: null,
      track_opens: input.track_opens ?? true,
      track_clicks: input.track_clicks ?? true,
      status,
      priority: PRIORITY.transactional,
      scheduled_at: scheduledAt ?? null,
      next_attempt_at: scheduledAt ?? new Date(),
      message_id: `<${id}@${domainOf(from.address)}>`,
    };
  });
}
