// Owns recognising automatic replies (RFC 3834): out-of-office and vacation notices, never bounces.
import { firstField, type HeaderFields } from './header-fields.ts';

/** Headers that autoresponders set; RFC 3834 §5 Auto-Submitted plus the common non-standard ones. */
const AUTO_HEADERS: readonly { name: string; pattern: RegExp; example: string }[] = [
  { name: 'auto-submitted', pattern: /^auto-(?:replied|generated)/i, example: 'Auto-Submitted: auto-replied' },
  { name: 'x-autoreply', pattern: /./, example: 'X-Autoreply: yes' },
  { name: 'x-autorespond', pattern: /./, example: 'X-Autorespond: vacation' },
  { name: 'x-autoresponder', pattern: /./, example: 'X-Autoresponder: yes' },
  { name: 'precedence', pattern: /^auto_reply/i, example: 'Precedence: auto_reply' },
];

/** Subjects of out-of-office replies (Exchange "Automatic reply:", Gmail vacation, German, French ...). */
const AUTO_SUBJECTS = /\b(?:out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response|antwort)|autoreply|vacation|away (?:until|from)|on holiday|on leave|abwesenheit(?:snotiz)?|r[ée]ponse automatique|fuera de la oficina|risposta automatica)\b|^\s*(?:auto|ooo|oof)\s*:/i;

export function isAutoReply(headers: HeaderFields): boolean {
  const subject = firstField(headers, 'subject') ?? '';
  if (AUTO_SUBJECTS.test(subject)) return true;
  return AUTO_HEADERS.some((header) => {
    const value = firstField(headers, header.name);
    return value !== null && header.pattern.test(value);
  });
}
