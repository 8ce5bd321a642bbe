// Owns classifyReturnedMessage: what a message that came back to us is (bounce, delivery report,
// complaint, auto-reply, reply) and, per recipient, why. It never throws.
import { addressIn, firstField, messageIdsIn, type HeaderFields } from './header-fields.ts';
import { parseMessage, type ParsedMessage } from './parse-message.ts';
import { readDeliveryStatus, type DeliveryStatus } from './read-delivery-status.ts';
import { readFeedbackReport } from './read-feedback-report.ts';
import { readBounceNotice, type BounceNotice, type NoticeSegment } from './read-bounce-notice.ts';
import { returnedOriginalHeaders } from './returned-original.ts';
import { isAutoReply } from './detect-auto-reply.ts';
import { isBounceNotice } from './is-bounce-notice.ts';
import { extractReplyText } from './extract-reply-text.ts';
import { buildBounceResult } from './build-bounce-result.ts';
import { DELAY_PHRASES, GAVE_UP_PHRASES, SUCCESS_PHRASES, type NoticeRule } from './notice-rules.ts';
import { readSesNotification } from './read-ses-notification.ts';
import { readComplaintNotice } from './read-complaint-notice.ts';
import type { BounceResult, ReturnedMessage } from './returned-message.ts';
import type { BounceRuleSet } from '../rules/bounce-rule-types.ts';
import { ALL_BOUNCE_RULES } from '../rules/rule-set.ts';

type Context = { rules: BounceRuleSet; message: ParsedMessage; original: HeaderFields | null; correlation: ReturnedMessage['correlation']; messageId: string | null };
type Step = (context: Context) => ReturnedMessage | null;

/** First step that recognises the message wins: a complaint and a DSN carry their own structure,
 * a notice for people comes next, and auto-replies are checked after bounces because DSNs carry
 * Auto-Submitted too (RFC 3834 §5). */
const STEPS: readonly Step[] = [complaint, sesNotification, deliveryReport, bounceNotice, autoReply, humanReply];

export type ClassifyOptions = {
  /** The rules to read; the benchmark scores a corpus family without the rules that come from it alone. */
  rules?: BounceRuleSet;
};

export async function classifyReturnedMessage(raw: Buffer | string, options: ClassifyOptions = {}): Promise<ReturnedMessage> {
  try {
    const message = await parseMessage(typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw);
    const original = returnedOriginalHeaders(message);
    const context: Context = { rules: options.rules ?? ALL_BOUNCE_RULES, message, original, correlation: correlationOf(message, original), messageId: messageIdsIn(firstField(message.headers, 'message-id'))[0] ?? null };
    for (const step of STEPS) {
      const result = step(context);
      if (result) return result;
    }
    return { kind: 'other', results: [], correlation: context.correlation, messageId: context.messageId };
  } catch {
    // A defect of ours must not lose the message: the caller stores it as unclassified.
    return { kind: 'other', results: [], correlation: { envelopeIds: [], messageIds: [], sendtrailIds: [], recipients: [] }, messageId: null };
  }
}

function complaint(context: Context): ReturnedMessage | null {
  // The original may be inlined into the text (an inline message/rfc822 part): its To is the complainer.
  const originalTo = addressIn(firstField(context.original ?? new Map(), 'to')) ?? addressIn(/^To:[ \t]*(.+)$/m.exec(context.message.text)?.[1]);
  const report = readFeedbackReport(context.message, originalTo) ?? readComplaintNotice(context.message, originalTo);
  if (!report) return null;
  return finish(context, 'complaint', complaintResults(report.recipients, report.feedbackType));
}

function complaintResults(recipients: readonly (string | null)[], feedbackType: string): BounceResult[] {
  return recipients.map((recipient) => ({
    recipient, action: null, status: null, reply_code: null, reason: 'feedback', hard: false, feedback: true,
    feedback_type: feedbackType, vacation: false, diagnostic: null, remote_mta: null,
  }));
}

function sesNotification(context: Context): ReturnedMessage | null {
  const notification = readSesNotification(context.message.text);
  if (!notification) return null;
  if (notification.messageId) context.correlation.messageIds.push(notification.messageId);
  context.correlation.messageIds.push(...notification.original.messageIds.filter((id) => !context.correlation.messageIds.includes(id)));
  context.correlation.sendtrailIds.push(...notification.original.sendtrailIds.filter((id) => !context.correlation.sendtrailIds.includes(id)));
  if (notification.type === 'complaint') return finish(context, 'complaint', complaintResults(notification.recipients, notification.feedbackType));
  const results = notification.recipients.map((recipient) => buildBounceResult(recipient, context.rules));
  return finish(context, notification.type === 'bounce' ? 'bounce' : 'delivery_report', results);
}

function deliveryReport(context: Context): ReturnedMessage | null {
  const report = readDeliveryStatus(context.message);
  if (!report) return null;
  const notice = readBounceNotice(context.message.text, excludedAddresses(context));
  // A Final-Recipient that is no address (Exim's file or pipe delivery, "rfc822;/var/spool/...") leaves the
  // address to X-Failed-Recipients, when that header names exactly one per such record.
  const listed = failedRecipients(context.message.headers);
  const unnamed = report.recipients.filter((recipient) => recipient.recipient === null);
  const recipients = unnamed.length > 0 && unnamed.length === listed.length
    ? report.recipients.map((recipient) => (recipient.recipient === null ? { ...recipient, recipient: listed[unnamed.indexOf(recipient)] ?? null } : recipient))
    : report.recipients;
  const results = recipients.map((recipient) => {
    const segment = notice.segments.find((s) => s.recipient === recipient.recipient || s.recipient === recipient.originalRecipient);
    return buildBounceResult({ ...recipient, context: [segment?.text ?? '', notice.segments.length <= 1 ? notice.text : ''] }, context.rules);
  });
  context.correlation.envelopeIds.push(...(report.envelopeId ? [report.envelopeId] : []));
  const failed = results.some((result) => result.action === 'failed' || (result.action === null && result.reason !== 'delivered'));
  return finish(context, failed ? 'bounce' : 'delivery_report', results, report);
}

function bounceNotice(context: Context): ReturnedMessage | null {
  if (!isBounceNotice(context.message)) return null;
  const notice = readBounceNotice(context.message.text, excludedAddresses(context));
  const segments = notice.segments.length > 0 ? notice.segments : fallbackSegments(context, notice);
  // The header is a summary of the notice; where the two disagree (an address rewritten in one of them)
  // the notice's own words about each recipient are the better evidence.
  const listed = failedRecipients(context.message.headers);
  const failed = notice.segments.length > 0 && !listed.some((recipient) => notice.segments.some((s) => s.recipient === recipient)) ? [] : listed;
  if (failed.length > 0) return noticeResults(context, notice, failed.map((recipient) => segments.find((s) => s.recipient === recipient) ?? { recipient, text: notice.text }));
  if (segments.length === 0) return null;
  return noticeResults(context, notice, segments);
}

function noticeResults(context: Context, notice: BounceNotice, segments: readonly NoticeSegment[]): ReturnedMessage {
  const subject = firstField(context.message.headers, 'subject') ?? '';
  // Notices wrap their sentences over lines: the phrases are read as one line.
  const action = noticeAction(`${subject} ${notice.text}`.replace(/\s+/g, ' '));
  const results = segments.map((segment) => buildBounceResult({
    recipient: segment.recipient, action, status: null, diagnostic: segment.text, remoteMta: null,
    context: [notice.preamble, notice.text],
  }, context.rules));
  return finish(context, action === 'failed' ? 'bounce' : 'delivery_report', results);
}

/** What a notice for people says happened, in RFC 3464's words: a delay notice names a retry still to come,
 * a success notice the delivery; anything else failed. Words that the retries are over decide for failed. */
function noticeAction(text: string): 'failed' | 'delayed' | 'delivered' {
  const says = (rules: readonly NoticeRule[]) => rules.some((rule) => rule.pattern.test(text));
  if (says(GAVE_UP_PHRASES)) return 'failed';
  if (says(DELAY_PHRASES)) return 'delayed';
  return says(SUCCESS_PHRASES) ? 'delivered' : 'failed';
}

/** Exim and Gmail name the failed recipients in a header (X-Failed-Recipients). */
function failedRecipients(headers: HeaderFields): string[] {
  const values = (headers.get('x-failed-recipients') ?? []).flatMap((value) => value.split(','));
  return [...new Set(values.map(addressIn).filter((address): address is string => address !== null))];
}

/** A notice that names nobody else: the recipient is the original's To, or an address of the notice's own
 * headers (a sender bouncing to itself). */
function fallbackSegments(context: Context, notice: BounceNotice): NoticeSegment[] {
  // The notice names no recipient, so it has no words about this one: its text stays context only.
  const to = addressIn(firstField(context.original ?? new Map(), 'to'));
  if (to) return [{ recipient: to, text: '' }];
  const from = addressIn(firstField(context.message.headers, 'from'));
  return readBounceNotice(context.message.text, new Set(from ? [from] : [])).segments;
}

function autoReply(context: Context): ReturnedMessage | null {
  if (!isAutoReply(context.message.headers)) return null;
  const from = addressIn(firstField(context.message.headers, 'from'));
  const result: BounceResult = {
    recipient: from, action: null, status: null, reply_code: null, reason: 'vacation', hard: false, feedback: false,
    feedback_type: null, vacation: true, diagnostic: null, remote_mta: null,
  };
  return { ...finish(context, 'auto_reply', [result]), reply: replyOf(context.message) };
}

function humanReply(context: Context): ReturnedMessage | null {
  const headers = context.message.headers;
  const isReply = headers.has('in-reply-to') || headers.has('references') || /^\s*(?:re|aw|sv|antw|ré|r)\s*:/i.test(firstField(headers, 'subject') ?? '');
  if (!isReply) return null;
  return { ...finish(context, 'reply', []), reply: replyOf(context.message) };
}

function replyOf(message: ParsedMessage): { text: string; from: string | null; subject: string | null } {
  return { text: extractReplyText(message.text), from: addressIn(firstField(message.headers, 'from')), subject: firstField(message.headers, 'subject') };
}

function finish(context: Context, kind: ReturnedMessage['kind'], results: BounceResult[], report?: DeliveryStatus): ReturnedMessage {
  const recipients = new Set(context.correlation.recipients);
  for (const result of results) if (result.recipient) recipients.add(result.recipient);
  for (const recipient of report?.recipients ?? []) if (recipient.originalRecipient) recipients.add(recipient.originalRecipient);
  return { kind, results, correlation: { ...context.correlation, recipients: [...recipients] }, messageId: context.messageId };
}

const LIST_FIELDS = ['list-help', 'list-subscribe', 'list-unsubscribe', 'list-owner', 'list-post', 'mailing-list'];

/** Addresses in a notice that are no recipient: the notice's own sender and addressee, and the
 * original's sender (the notice goes back to it). */
function excludedAddresses(context: Context): Set<string> {
  const { headers } = context.message;
  const original = context.original ?? new Map<string, string[]>();
  const fields = [firstField(headers, 'from'), firstField(headers, 'to'), firstField(headers, 'return-path'), firstField(headers, 'reply-to'), firstField(headers, 'delivered-to'), firstField(headers, 'x-original-to'), firstField(original, 'from'), firstField(original, 'return-path'), firstField(original, 'sender')];
  // A mailing list's own command addresses (RFC 2369 List-* fields) are named in its notices as help.
  const listFields = LIST_FIELDS.flatMap((name) => headers.get(name) ?? []).flatMap((value) => value.split(','));
  return new Set([...fields, ...listFields].map(addressIn).filter((address): address is string => address !== null));
}

function correlationOf(message: ParsedMessage, original: HeaderFields | null): ReturnedMessage['correlation'] {
  const messageIds = [
    ...messageIdsIn(firstField(original ?? new Map(), 'message-id')),
    ...messageIdsIn(firstField(message.headers, 'in-reply-to')),
    ...messageIdsIn(firstField(message.headers, 'references')),
  ];
  const sendtrailIds = [...(original?.get('x-sendtrail-id') ?? [])].map((id) => id.trim()).filter(Boolean);
  return { envelopeIds: [], messageIds: [...new Set(messageIds)], sendtrailIds: [...new Set(sendtrailIds)], recipients: [] };
}
