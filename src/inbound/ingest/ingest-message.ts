// Ingest of one received message: keep it, classify it, find its email, record what it means,
// all in one transaction so that a message is either fully taken in or not at all (then the SMTP
// sender gets a 4xx and retries). The same message received twice is recorded once.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { appendEvents, furthestStatus, statusOfEvent, type EmailStatus, type EventType } from '../../events/index.ts';
import { addSuppressions, recordUnsubscribe, suppressAfterSoftBounces } from '../../suppressions/index.ts';
import { newId } from '../../shared/ids.ts';
import { unsubscribeTokenOf, type InboundDomains } from '../inbound-addresses.ts';
import type { Classify, ReturnedMessage } from './classifier-port.ts';
import { contentHash } from './content-hash.ts';
import { eventsForMessage, type Consequences } from './events-for-message.ts';
import { resolveEmail } from './resolve-email.ts';
import { advanceEmailStatus, findEmailsByIds, insertInboundMessage, type CorrelatedEmail } from './inbound.repository.ts';
import { storableText, storableValue } from '../../shared/storable-text.ts';
import { announceInbound } from '../inbound-feed.ts';

export type IngestDeps = {
  db: Kysely<Database>;
  classify: Classify;
  secret: string;
  domains: InboundDomains;
  /** Owner of mail that matches no email: the installation's default project. */
  fallbackProjectId: string;
  /** Soft bounces of one address before it is suppressed; 0 never. */
  softBounceSuppressCount: number;
  /** Email id of a valid unsubscribe token (tracking owns the tokens); absent: kept, not acted on. */
  verifyUnsubscribeToken?: (token: string) => Promise<string | undefined>;
  /** Human replies are marked for forwarding (REPLY_FORWARD_TO), in the transaction that stores them. */
  forwardReplies?: boolean;
};

export type Envelope = { mailFrom: string; rcptTo: string[] };

export type IngestResult = {
  inboundId: string;
  duplicate: boolean;
  kind: string;
  emailId: string | null;
  events: EventType[];
  /** The message waits to be forwarded (see ReplyForwarding). */
  forwardPending: boolean;
};

export async function ingestMessage(deps: IngestDeps, envelope: Envelope, raw: Buffer): Promise<IngestResult> {
  const hash = contentHash(raw);
  const classified = await deps.classify(raw);
  const unsubscribeToken = envelope.rcptTo.map((r) => unsubscribeTokenOf(r, deps.domains)).find(Boolean);
  const email = unsubscribeToken
    ? await emailOfUnsubscribe(deps, unsubscribeToken)
    : await resolveEmail(deps.db, envelope.rcptTo, classified.correlation, deps.secret);
  const inboundId = newId();
  const kind = unsubscribeToken ? 'unsubscribe' : classified.kind;
  const consequences: Consequences = !email
    ? { events: [], softBounce: false }
    : unsubscribeToken
      ? { events: [{ type: 'unsubscribe', metadata: { inbound_message_id: inboundId } }], softBounce: false }
      : eventsForMessage(classified, email.to_address, inboundId);

  // Only people's replies: an auto-reply or a bounce forwarded would only bounce around.
  const forward = deps.forwardReplies === true && kind === 'reply';

  return deps.db.transaction().execute(async (trx) => {
    const stored = await insertInboundMessage(trx, {
      id: inboundId,
      project_id: email?.project_id ?? deps.fallbackProjectId,
      email_id: email?.id ?? null,
      kind,
      mail_from: storableText(envelope.mailFrom),
      rcpt_to: envelope.rcptTo.map(storableText),
      ...headerSummary(classified, raw),
      content_hash: hash,
      size_bytes: raw.length,
      event_count: consequences.events.length,
      error: null,
      raw,
      // Only people's replies: auto-replies and bounces would just bounce around.
      forward_state: forward ? 'pending' : null,
      forward_next_at: forward ? new Date() : null,
    });
    if (!stored) return { inboundId, duplicate: true, kind, emailId: email?.id ?? null, events: [], forwardPending: false };
    if (email) await recordConsequences(trx, deps, email, consequences);
    await announceInbound(trx, { id: inboundId, projectId: email?.project_id ?? deps.fallbackProjectId, kind, matched: Boolean(email) });
    return { inboundId, duplicate: false, kind, emailId: email?.id ?? null, events: consequences.events.map((e) => e.type), forwardPending: forward };
  });
}

async function recordConsequences(trx: Kysely<Database>, deps: IngestDeps, email: CorrelatedEmail, c: Consequences): Promise<void> {
  const projectId = email.project_id;
  // An unsubscribe by mailto is recorded as one by link is: the same event, the same suppression.
  const unsubscribe = c.events.find((e) => e.type === 'unsubscribe');
  const others = c.events.filter((e) => e !== unsubscribe);
  await appendEvents(trx, others.map((e) => ({ projectId, emailId: email.id, type: e.type, metadata: storableValue(e.metadata) })));
  if (unsubscribe) {
    await recordUnsubscribe(trx, { projectId, emailId: email.id, to: email.to_address, details: { ...storableValue(unsubscribe.metadata), method: 'mailto' } });
  }
  const target = furthestStatus(c.events.map((e) => statusOfEvent(e.type)).filter((s): s is EmailStatus => s !== undefined));
  if (target) await advanceEmailStatus(trx, email.id, target);
  if (c.suppress) await addSuppressions(trx, [{ projectId, email: email.to_address, reason: c.suppress, sourceEmailId: email.id }]);
  // After this bounce's event, in the same transaction, so that it is counted.
  else if (c.softBounce) await suppressAfterSoftBounces(trx, [email.id], deps.softBounceSuppressCount);
}

async function emailOfUnsubscribe(deps: IngestDeps, token: string): Promise<CorrelatedEmail | undefined> {
  const emailId = await deps.verifyUnsubscribeToken?.(token);
  if (!emailId) return undefined;
  return (await findEmailsByIds(deps.db, [emailId]))[0];
}

/** From and Subject for the inbound list, read from the raw header (the classifier may not give them). */
function headerSummary(classified: ReturnedMessage, raw: Buffer): { from_header: string | null; subject: string | null } {
  const head = raw.subarray(0, Math.min(raw.length, 64 * 1024)).toString('latin1').split(/\r?\n\r?\n/)[0] ?? '';
  const field = (name: string) => {
    const m = new RegExp(`^${name}:[ \\t]*((?:.*)(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head);
    return m ? storableText(m[1]!.replace(/\r?\n[ \t]+/g, ' ').trim().slice(0, 998)) : null;
  };
  const text = (s: string | null | undefined) => (s ? storableText(s.slice(0, 998)) : null);
  return { from_header: text(classified.reply?.from) ?? field('From'), subject: text(classified.reply?.subject) ?? field('Subject') };
}
