// Owns the fallback tables of bounce classification: RFC 3463 enhanced status codes and RFC 5321 reply
// codes, each mapped to a reason with its meaning beside it.
import type { BounceReason } from './bounce-rule-types.ts';

export interface StatusRule {
  /** `5.4.4` exact, `x.1.1` any class, `x.6` any detail of a subject (RFC 3463 §3). */
  readonly status: string;
  readonly reason: BounceReason;
  /** The code's meaning in RFC 3463 / RFC 5248's registry, or why we map it so. */
  readonly meaning: string;
  /** A provider's own code for one failure (Office 365's 5.4.312 "DNS query failed"): it names the cause
   * more precisely than the reply's words ("Message expired, DNS query failed"), so it decides before them. */
  readonly decisive?: boolean;
}

/** Used when no text rule matched. X.7.1 is deliberately generic: servers use it for every refusal. */
export const STATUS_RULES: readonly StatusRule[] = [
  { status: 'x.1.1', reason: 'userunknown', meaning: 'Bad destination mailbox address' },
  { status: 'x.1.2', reason: 'hostunknown', meaning: 'Bad destination system address' },
  { status: 'x.1.3', reason: 'userunknown', meaning: 'Bad destination mailbox address syntax' },
  { status: 'x.1.6', reason: 'hasmoved', meaning: 'Destination mailbox has moved, no forwarding address' },
  { status: 'x.1.7', reason: 'rejected', meaning: "Bad sender's mailbox address syntax" },
  { status: 'x.1.8', reason: 'rejected', meaning: "Bad sender's system address" },
  { status: '5.1.10', reason: 'notaccept', meaning: 'Recipient address has null MX (RFC 7505 §4.1)' },
  { status: 'x.2.1', reason: 'suspend', meaning: 'Mailbox disabled, not accepting messages' },
  { status: 'x.2.2', reason: 'mailboxfull', meaning: 'Mailbox full' },
  // RFC 3463 §3.3: subject 2 is the mailbox, so X.2.3 is the recipient's own limit; the system's is X.3.4.
  { status: 'x.2.3', reason: 'exceedlimit', meaning: 'Message length exceeds administrative limit (per mailbox)' },
  { status: 'x.2.4', reason: 'systemerror', meaning: 'Mailing list expansion problem' },
  { status: 'x.3.1', reason: 'systemfull', meaning: 'Mail system full' },
  { status: 'x.3.4', reason: 'mesgtoobig', meaning: 'Message too big for system' },
  { status: 'x.3', reason: 'systemerror', meaning: 'Mail system status (not accepting, misconfigured, ...)' },
  // Postfix uses 5.4.4 for a domain with no DNS records; 4.4.x are transient and stay network errors.
  { status: '5.4.4', reason: 'hostunknown', meaning: 'Unable to route' },
  { status: 'x.4.5', reason: 'systemfull', meaning: 'Mail system congestion' },
  { status: 'x.4.7', reason: 'expired', meaning: 'Delivery time expired' },
  { status: 'x.4', reason: 'networkerror', meaning: 'Network and routing status' },
  { status: 'x.5.3', reason: 'toomanyconn', meaning: 'Too many recipients' },
  { status: 'x.5', reason: 'syntaxerror', meaning: 'Mail delivery protocol status' },
  { status: 'x.6', reason: 'contenterror', meaning: 'Message content or media status' },
  { status: 'x.7.10', reason: 'failedstarttls', meaning: 'Encryption needed (RFC 5248)' },
  { status: 'x.7.13', reason: 'suspend', meaning: 'User account disabled (RFC 5248)' },
  { status: 'x.7.20', reason: 'authfailure', meaning: 'No passing DKIM signature found (RFC 7372)' },
  { status: 'x.7.21', reason: 'authfailure', meaning: 'No acceptable DKIM signature found (RFC 7372)' },
  { status: 'x.7.22', reason: 'authfailure', meaning: 'No valid author-matched DKIM signature found (RFC 7372)' },
  { status: 'x.7.23', reason: 'authfailure', meaning: 'SPF validation failed (RFC 7372)' },
  { status: 'x.7.24', reason: 'authfailure', meaning: 'SPF validation error (RFC 7372)' },
  { status: 'x.7.25', reason: 'requireptr', meaning: 'Reverse DNS validation failed (RFC 7372)' },
  { status: 'x.7.26', reason: 'authfailure', meaning: 'Multiple authentication checks failed (RFC 7372)' },
  { status: 'x.7.27', reason: 'rejected', meaning: 'Sender address has null MX (RFC 7505 §4.2)' },
  ...office365Details(),
  { status: 'x.7', reason: 'securityerror', meaning: 'Security or policy status; text decides when it can' },
];

export interface CodeRule {
  readonly code: number;
  readonly reason: BounceReason;
  /** The reply's meaning in RFC 5321 §4.2.3 (or the RFC cited). */
  readonly meaning: string;
}

/** Used when neither text nor an enhanced status decided. Other codes fall back to `undefined`. */
export const CODE_RULES: readonly CodeRule[] = [
  { code: 451, reason: 'systemerror', meaning: 'Requested action aborted: local error in processing' },
  { code: 452, reason: 'systemfull', meaning: 'Requested action not taken: insufficient system storage' },
  { code: 500, reason: 'syntaxerror', meaning: 'Syntax error, command unrecognized' },
  { code: 501, reason: 'syntaxerror', meaning: 'Syntax error in parameters or arguments' },
  { code: 502, reason: 'syntaxerror', meaning: 'Command not implemented' },
  { code: 503, reason: 'syntaxerror', meaning: 'Bad sequence of commands' },
  { code: 504, reason: 'syntaxerror', meaning: 'Command parameter not implemented' },
  { code: 521, reason: 'notaccept', meaning: 'Host does not accept mail (RFC 7504)' },
  { code: 551, reason: 'hasmoved', meaning: 'User not local; please try <forward-path>' },
  { code: 552, reason: 'mailboxfull', meaning: 'Requested mail action aborted: exceeded storage allocation' },
  { code: 556, reason: 'notaccept', meaning: 'Domain does not accept mail (RFC 7504)' },
];

/** Office 365 refines statuses with three-digit details of its own (Microsoft's "Email non-delivery reports
 * in Exchange Online" reference); no RFC registers details that long, so the rows cannot clash. */
function office365Details(): StatusRule[] {
  // `decisive`: one documented failure per code, decided before the reply's words (StatusRule.decisive).
  const ranges: readonly [prefix: string, from: number, to: number, reason: BounceReason, meaning: string, decisive?: true][] = [
    ['4.4.', 312, 312, 'networkerror', 'DNS query failed', true],
    ['5.4.', 312, 312, 'networkerror', 'DNS query failed', true],
    ['4.4.', 316, 316, 'expired', 'Connection refused until the message expired', true],
    ['5.4.', 316, 316, 'expired', 'Connection refused until the message expired', true],
    ['5.0.', 350, 350, 'contenterror', 'Generic error from the recipient server (x-dg-ref header too long)', true],
    ['5.7.', 124, 124, 'rejected', 'Sender not allowed to send to the group'],
    ['5.7.', 133, 136, 'rejected', 'Sender not authenticated or not allowed for the group or mailbox'],
    ['5.7.', 501, 503, 'spamdetected', 'Access denied, spam abuse detected'],
    ['5.7.', 504, 505, 'filtered', 'Recipient address rejected by the recipient organisation'],
    ['5.7.', 506, 507, 'blocked', 'Access denied, bad HELO or IP on a block list'],
    ['5.7.', 508, 508, 'toomanyconn', 'Too many recipients'],
    ['5.7.', 509, 509, 'authfailure', 'Sending domain does not pass DMARC', true],
    ['5.7.', 510, 510, 'notaccept', 'Recipient does not accept email over IPv6'],
    ['5.7.', 511, 511, 'rejected', 'Sender banned', true],
    ['5.7.', 512, 512, 'policyviolation', 'Message must be RFC 5322 section 3.6.2 compliant', true],
    ['5.7.', 606, 649, 'blocked', 'Access denied, banned sending IP'],
    ['5.7.', 700, 749, 'toomanyconn', 'Access denied, tenant has exceeded its sending limits'],
    ['4.7.', 500, 699, 'blocked', 'Server busy or access denied for the sending IP'],
    ['4.7.', 850, 899, 'blocked', 'Access denied, sending IP or domain throttled'],
    // After the range it refines (the table keeps the last row of a code).
    ['4.7.', 650, 650, 'badreputation', 'The mail server has been temporarily rate limited due to IP reputation', true],
  ];
  return ranges.flatMap(([prefix, from, to, reason, meaning, decisive]) =>
    Array.from({ length: to - from + 1 }, (_, i) => ({ status: `${prefix}${from + i}`, reason, meaning: `Office 365: ${meaning}`, ...(decisive ? { decisive } : {}) })));
}
