// Owns finding the SMTP command a refusal answered, from the words notices use for it, and what that
// stage says about the reason when the reply's own words do not.

export type SmtpStage = 'connect' | 'mail' | 'rcpt' | 'data';

/** How MTA families name the command: Postfix "(in reply to RCPT TO command)", Exim "after RCPT TO:",
 * Sendmail's transcript ">>> DATA", qmail/Courier "after end of data" ... */
const STAGES: readonly { stage: SmtpStage; pattern: RegExp; example: string }[] = [
  { stage: 'data', pattern: /\bin reply to (?:end of )?DATA\b|\bafter (?:end of )?data\b|>>> DATA\b|\bSMTP command:? DATA\b|\bafter DATA command\b/i, example: '(in reply to end of DATA command)' },
  { stage: 'rcpt', pattern: /\bin reply to RCPT TO\b|\bafter RCPT(?: TO)?\b|>>> RCPT TO\b|\bRCPT command\b/i, example: 'SMTP error from remote mail server after RCPT TO:<ann@example.org>:' },
  { stage: 'mail', pattern: /\bin reply to MAIL FROM\b|\bafter MAIL FROM\b|>>> MAIL FROM\b|\bMAIL command\b/i, example: 'SMTP error from remote mail server after MAIL FROM:<news@example.net> SIZE=1234:' },
  { stage: 'connect', pattern: /\bafter initial connection\b|\bin reply to (?:HELO|EHLO)\b|\bafter (?:HELO|EHLO)\b|\bsaid in greeting\b|\bgreeting (?:failure|error)\b/i, example: 'SMTP error from remote mail server after initial connection:' },
];

/** The stage named earliest in the text; null when it names none. */
export function smtpStageIn(text: string): SmtpStage | null {
  let found: { stage: SmtpStage; index: number } | null = null;
  for (const { stage, pattern } of STAGES) {
    const match = pattern.exec(text);
    if (match && (found === null || match.index < found.index)) found = { stage, index: match.index };
  }
  return found?.stage ?? null;
}

/** RFC 5321 §3.3: RCPT is where a mailbox is refused. "User unknown" after DATA is a content filter
 * speaking for the mailbox (it accepted RCPT); a refusal with no known cause at MAIL FROM is about the
 * sender, and at the greeting about the sending host. */
export function reasonForStage(reason: string | null, stage: SmtpStage | null, status: string | null): string | null {
  // Sendmail pipelines RCPT and reports its refusal after ">>> DATA": an X.1.x status still names the mailbox.
  if (stage === 'data' && reason === 'userunknown' && !/^[45]\.1\./.test(status ?? '')) return 'filtered';
  if (reason !== null) return reason;
  if (stage === 'mail') return 'rejected';
  if (stage === 'connect') return 'blocked';
  return null;
}
