// Owns reading ARF complaints (RFC 5965): the feedback type and the recipients who complained.
import { addressIn, firstField, headerBlockOf, parseHeaderFields, type HeaderFields } from './header-fields.ts';
import type { ParsedMessage } from './parse-message.ts';

export type FeedbackReport = { feedbackType: string; recipients: (string | null)[]; fields: HeaderFields };

/** Null when the message is no feedback report. Yahoo and others send the fields with a wrong or
 * missing Content-Type, so a Feedback-Type field in the text counts too. */
export function readFeedbackReport(message: ParsedMessage, originalTo: string | null): FeedbackReport | null {
  const part = message.parts.find((candidate) => /feedback-report/.test(candidate.contentType));
  const block = part?.text ?? fieldBlockWith(message.text, /^Feedback-Type:/im) ?? (isFeedbackReport(message) ? fieldBlockWith(message.raw, /^Feedback-Type:/im) : null);
  if (!block) return null;
  const fields = parseHeaderFields(block);
  const feedbackType = firstField(fields, 'feedback-type')?.toLowerCase().split(/[\s;]/)[0];
  if (!feedbackType) return null;
  // RFC 5965 §3.2 Original-Rcpt-To (one per recipient); opt-out reports name a Removal-Recipient.
  const named = [...(fields.get('original-rcpt-to') ?? []), ...(fields.get('removal-recipient') ?? [])].map(addressIn).filter((a): a is string => a !== null);
  const recipients = named.length > 0 ? [...new Set(named)] : [originalTo];
  return { feedbackType, recipients, fields };
}

function isFeedbackReport(message: ParsedMessage): boolean {
  return /report-type\s*=\s*"?feedback-report/i.test(firstField(message.headers, 'content-type') ?? '');
}

function fieldBlockWith(text: string, field: RegExp): string | null {
  const match = field.exec(text);
  return match ? headerBlockOf(text.slice(match.index)) : null;
}
