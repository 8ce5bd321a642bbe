// Owns recognising complaints that feedback loops send without ARF fields (RFC 5965 came late to some).
import { firstField } from './header-fields.ts';
import type { ParsedMessage } from './parse-message.ts';

/** Subjects of non-ARF feedback-loop reports, with the family that sends them. */
const COMPLAINT_SUBJECTS: readonly { pattern: RegExp; feedbackType: string; example: string }[] = [
  // Microsoft JMRP / SNDS: the original is attached as message/rfc822, no feedback-report part.
  { pattern: /^\s*complaint about message from \S+/i, feedbackType: 'abuse', example: 'complaint about message from 192.0.2.222' },
  { pattern: /\b(?:spam|abuse) (?:complaint|report)\b|\bfeedback loop\b/i, feedbackType: 'abuse', example: 'Abuse Report: spam complaint for 192.0.2.1' },
];

export function readComplaintNotice(message: ParsedMessage, originalTo: string | null): { feedbackType: string; recipients: (string | null)[] } | null {
  const subject = firstField(message.headers, 'subject') ?? '';
  const rule = COMPLAINT_SUBJECTS.find((candidate) => candidate.pattern.test(subject));
  const hasOriginal = message.parts.some((part) => /^message\/rfc822/.test(part.contentType)) || originalTo !== null;
  return rule && hasOriginal ? { feedbackType: rule.feedbackType, recipients: [originalTo] } : null;
}

export { COMPLAINT_SUBJECTS };
