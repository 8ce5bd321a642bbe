// Owns deciding whether a message without delivery-status fields is a bounce notice.
import { firstField } from './header-fields.ts';
import type { ParsedMessage } from './parse-message.ts';
import { BOUNCE_PHRASES, BOUNCE_SENDERS, BOUNCE_SUBJECTS } from './notice-rules.ts';
import { noticeTextOf } from './read-bounce-notice.ts';

/** A notice comes from a mail system (its sender or subject says so), or from a null reverse-path
 * (RFC 5321 §4.5.5) and says in its text that delivery failed. */
export function isBounceNotice(message: ParsedMessage): boolean {
  const from = firstField(message.headers, 'from') ?? '';
  const subject = utf8Of(firstField(message.headers, 'subject') ?? '');
  const notice = noticeTextOf(message.text);
  const saysFailed = BOUNCE_PHRASES.some((rule) => rule.pattern.test(notice));
  if (BOUNCE_SUBJECTS.some((rule) => rule.pattern.test(subject))) return true;
  if (BOUNCE_SENDERS.some((rule) => rule.pattern.test(from))) return true;
  // fml, a mailing-list manager, answers from its "-admin" address with an X-MLServer header.
  if (message.headers.has('x-mlserver') && /-admin@/i.test(from)) return true;
  return saysFailed && /^<?>?$/.test((firstField(message.headers, 'return-path') ?? 'x').trim());
}

/** Headers are read as latin1; a subject sent as raw UTF-8 (RFC 6532, common in Japanese notices) is
 * read back as UTF-8 so that the subject rules see its words. */
function utf8Of(value: string): string {
  if (!/[\u0080-\u00ff]/.test(value)) return value;
  const decoded = Buffer.from(value, 'latin1').toString('utf8');
  return decoded.includes('\ufffd') ? value : decoded;
}
