// Which bounces and deferrals are refusals for failed authentication (SPF, DKIM, DMARC, reverse
// DNS): by the enhanced status code (RFC 7372 and the providers' own), or by the classifier's
// reason `authfailure` (bounces/rules). Data, each code with the reply that shows it.
export const AUTH_REFUSAL_CODES: ReadonlyArray<{ code: string; example: string }> = [
  { code: '5.7.26', example: '550-5.7.26 Unauthenticated email from example.org is not accepted due to domain\'s DMARC policy (Gmail)' },
  { code: '4.7.26', example: '421-4.7.26 This mail has been rate limited because it is unauthenticated (Gmail)' },
  { code: '5.7.27', example: '550 5.7.27 Sender address has null MX / SPF fail (RFC 7372: SPF validation failed)' },
  { code: '4.7.27', example: '421-4.7.27 Your email has been rate limited because SPF authentication didn\'t pass (Gmail)' },
  { code: '5.7.20', example: '550 5.7.20 No passing DKIM signature found (RFC 7372)' },
  { code: '5.7.21', example: '550 5.7.21 No acceptable DKIM signature found (RFC 7372)' },
  { code: '5.7.22', example: '550 5.7.22 No valid author-matched DKIM signature found (RFC 7372)' },
  { code: '5.7.23', example: '550 5.7.23 SPF validation failed (RFC 7372)' },
  { code: '5.7.24', example: '550 5.7.24 SPF validation error (RFC 7372)' },
  { code: '5.7.25', example: '550 5.7.25 Reverse DNS validation failed (RFC 7372)' },
  { code: '4.7.25', example: '421-4.7.25 The IP address sending this message does not have a PTR record (Gmail)' },
  { code: '4.7.30', example: '421-4.7.30 Your email has been rate limited because DKIM authentication didn\'t pass (Gmail)' },
  { code: '4.7.32', example: '421-4.7.32 Your email has been rate limited because the From: header isn\'t aligned with SPF or DKIM (Gmail)' },
  { code: '5.7.515', example: '550 5.7.515 Access denied, sending domain example.org doesn\'t meet the required authentication level (Outlook)' },
  { code: '5.7.509', example: '550 5.7.509 Access denied, sending domain example.org does not pass DMARC verification (Outlook)' },
];

const CODES = new Set(AUTH_REFUSAL_CODES.map((c) => c.code));
const STATUS_IN_TEXT = /\b([245]\.\d{1,3}\.\d{1,3})\b/g;

/** The refusal's code (or 'authfailure' when only the classifier's reason says so), else undefined. */
export function authRefusalCode(eventType: string, metadata: Record<string, unknown>): string | undefined {
  if (eventType !== 'bounced' && eventType !== 'delivery_delayed') return undefined;
  const status = typeof metadata.status === 'string' ? metadata.status : undefined;
  if (status && CODES.has(status)) return status;
  const text = typeof metadata.diagnostic === 'string' ? metadata.diagnostic.slice(0, 2_000) : '';
  for (const m of text.matchAll(STATUS_IN_TEXT)) if (CODES.has(m[1]!)) return m[1]!;
  if (metadata.reason === 'authfailure' || metadata.last_reason === 'authfailure') return 'authfailure';
  return undefined;
}
