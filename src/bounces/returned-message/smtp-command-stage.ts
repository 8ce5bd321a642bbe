// Owns finding the SMTP command a refusal answered, from the words notices use for it (rules/smtp-stage-rules.ts),
// and what that stage says about the reason when the reply's own words do not.

import type { BounceRuleSet, SmtpStage } from '../rules/bounce-rule-types.ts';

export type { SmtpStage } from '../rules/bounce-rule-types.ts';

/** The stage named earliest in the text; null when it names none. */
export function smtpStageIn(text: string, rules: BounceRuleSet): SmtpStage | null {
  // Notices wrap long lines ("(in reply to\n    RCPT TO command)"): read them as one.
  const flat = text.replace(/\s+/g, ' ');
  let found: { stage: SmtpStage; index: number } | null = null;
  for (const { stage, pattern } of rules.stages) {
    const match = pattern.exec(flat);
    if (match && (found === null || match.index < found.index)) found = { stage, index: match.index };
  }
  return found?.stage ?? null;
}

// RFC 3463 §3.2: X.1.0, X.1.1, X.1.3 are about the recipient's address. X.2.0, X.2.1, X.2.4 and X.1.4 are
// mailbox states (undefined, disabled, list expansion, ambiguous) that filters answer with, not an address.
// Providers refine X.1.1 with a sub-detail of three digits (Office 365 "5.1.351"); Exchange Online answers
// an address its directory lacks with 5.1.10 (RFC 7505's null-MX code, read so only beside such words).
const ADDRESS_STATUS = /^[45]\.1\.(?:[013]|10|\d{3})$/;
const MAILBOX_STATE_STATUS = /^[45]\.(?:2\.[014]|1\.4)$/;

/**
 * RFC 5321 §3.3: RCPT is where a mailbox is refused. Words like "User unknown" are only evidence of a
 * missing mailbox when the status says so (X.1.1) or the refusal answered RCPT; the same words after DATA,
 * under a mailbox-state status, or with nothing to say which command they answered come from a filter
 * speaking for the mailbox (`filtered`, soft): erring soft there is cheaper than suppressing a real
 * recipient. (This is Sisimai's decision between its UserUnknown and Filtered reasons.) A refusal with no
 * known cause at MAIL FROM is about the sender (for the greeting see reasonForGreeting).
 * `words.unknownUser`: the text speaks of an unknown mailbox (a `filtered` text rule may have won over it);
 * `words.addressVerdict`: the mail system states the mailbox does not exist (ADDRESS_VERDICT_RULES: its own
 * directory lookup failed, "does not exist", "invalid recipient" ...), which decides at any stage and status.
 */
export function reasonForStage(reason: string | null, stage: SmtpStage | null, status: string | null, words: { unknownUser: boolean; addressVerdict: boolean } = { unknownUser: reason === 'userunknown', addressVerdict: false }): string | null {
  if (reason === 'userunknown' || (reason === 'filtered' && words.unknownUser)) {
    if (ADDRESS_STATUS.test(status ?? '') || stage === 'rcpt' || words.addressVerdict) return 'userunknown';
    if (stage === 'mail' || stage === 'connect') return reason;
    if (MAILBOX_STATE_STATUS.test(status ?? '') || stage === 'data' || stage === null) return 'filtered';
  }
  if (reason !== null) return reason;
  if (stage === 'mail') return 'rejected';
  return null;
}

/** A refusal at the greeting is about the sending host (`blocked`), when neither its words nor a specific
 * status (Gmail's "5.7.1 ... (state 13)" is a security refusal) say more. */
export function reasonForGreeting(stage: SmtpStage | null): string | null {
  return stage === 'connect' ? 'blocked' : null;
}
