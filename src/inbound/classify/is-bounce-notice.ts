// Owns deciding whether a message without delivery-status fields is a bounce notice.
import { firstField } from './header-fields.ts';
import type { ParsedMessage } from './parse-message.ts';
import { BOUNCE_PHRASES, BOUNCE_SENDERS, BOUNCE_SUBJECTS } from './notice-rules.ts';
import { noticeTextOf } from './read-bounce-notice.ts';

/** A notice comes from a mail system (its sender or subject says so), or from a null reverse-path
 * (RFC 5321 §4.5.5) and says in its text that delivery failed. */
export function isBounceNotice(message: ParsedMessage): boolean {
  const from = firstField(message.headers, 'from') ?? '';
  const subject = firstField(message.headers, 'subject') ?? '';
  const notice = noticeTextOf(message.text);
  const saysFailed = BOUNCE_PHRASES.some((rule) => rule.pattern.test(notice));
  if (BOUNCE_SUBJECTS.some((rule) => rule.pattern.test(subject))) return true;
  if (BOUNCE_SENDERS.some((rule) => rule.pattern.test(from))) return true;
  return saysFailed && /^<?>?$/.test((firstField(message.headers, 'return-path') ?? 'x').trim());
}
