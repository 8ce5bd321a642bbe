// Owns the words with which notices name the SMTP command a refusal answered (RFC 5321 §3.3: a mailbox is
// refused at RCPT, content after DATA). One row per family's notation, so that each keeps its own sources.
import type { StageRule } from './bounce-rule-types.ts';

export const SMTP_STAGE_RULES: readonly StageRule[] = [
  // Postfix "(in reply to end of DATA command)".
  { stage: 'data', pattern: /\bin reply to (?:end of )?DATA\b/i, example: '(in reply to end of DATA command)', sources: ['postfix', 'rhost-franceptt', 'rhost-google', 'rhost-mimecast', 'rhost-nttdocomo', 'rhost-tencent'] },
  // Exim "after end of data", "after DATA"; qmail "failed after I sent the message".
  { stage: 'data', pattern: /\bafter (?:end of )?data\b|\bafter DATA command\b|\bfailed on DATA command\b/i, example: 'SMTP error from remote mail server after end of data:', sources: ['exim', 'mailru', 'rhost-franceptt'] },
  { stage: 'data', pattern: /\bfailed after I sent the message\b/i, example: 'Remote host said: 554 5.7.1 rejected. Giving up on 192.0.2.1. Connected to 192.0.2.1 but failed after I sent the message.', sources: ['qmail'] },
  // Sendmail's transcript and the "SMTP command: DATA" of filters that quote it.
  { stage: 'data', pattern: />>> DATA\b|\bSMTP command:? DATA\b/i, example: '>>> DATA', sources: ['courier', 'mfilter', 'rhost-google', 'sendmail', 'v5sendmail'] },
  // Gmail ends the remote reply with its SMTP client's state: 13 after EHLO, 14 at RCPT TO, 15/17/18 at DATA.
  { stage: 'data', pattern: /\(state 1[578]\)/i, example: '550 5.7.1 Message rejected. (state 18).', sources: ['gmail'] },
  // Yahoo's outbound notices end the remote reply with the command in brackets: "[RCPT_TO]", "[DATA]".
  { stage: 'data', pattern: /\[(?:DATA|END_OF_DATA|BODY)\]/, example: 'Remote host said: 554 5.7.1 Message rejected [DATA]', sources: [] },
  { stage: 'rcpt', pattern: /\[RCPT_TO\]/, example: 'Remote host said: 550 5.0.0 <ann@example.org>... User unknown [RCPT_TO]', sources: ['yahoo'] },
  { stage: 'rcpt', pattern: /\(state 14\)/, example: '550 5.1.1 The email account that you tried to reach does not exist. (state 14).', sources: [] },
  { stage: 'rcpt', pattern: /\bin reply to RCPT TO\b/i, example: '(in reply to RCPT TO command)', sources: ['postfix', 'rhost-apple', 'rhost-godaddy', 'rhost-google', 'rhost-microsoft', 'yandex'] },
  // qmail: "does not like recipient"; its notices also list "RCPT: <ann@...>" before the reply.
  { stage: 'rcpt', pattern: /\bdoes not like recipient\b/i, example: '192.0.2.25 does not like recipient. Remote host said: 550 no such user', sources: ['qmail'] },
  { stage: 'rcpt', pattern: /\bafter RCPT(?: TO)?\b|\bRCPT command\b|\bdid not like our RCPT TO\b/i, example: 'SMTP error from remote mail server after RCPT TO:<ann@example.org>:', sources: ['dragonfly', 'exim', 'gmx', 'mailru', 'sendmail', 'x6'] },
  { stage: 'rcpt', pattern: />>> RCPT TO\b|\bSMTP:RCPT\b/i, example: '>>> RCPT To:<ann@example.org>', sources: ['bigfoot', 'ezweb', 'rhost-google', 'sendmail', 'v5sendmail', 'x3'] },
  { stage: 'mail', pattern: /\bin reply to MAIL FROM\b|\bafter MAIL FROM\b|\bMAIL command\b/i, example: 'SMTP error from remote mail server after MAIL FROM:<news@example.net> SIZE=1234:', sources: ['exim', 'postfix', 'rhost-microsoft'] },
  { stage: 'mail', pattern: /\bbut sender was rejected\b|>>> MAIL FROM\b/i, example: 'Connected to 192.0.2.1 but sender was rejected.', sources: ['qmail', 'sendmail'] },
  { stage: 'connect', pattern: /\bafter initial connection\b|\bin reply to (?:HELO|EHLO)\b|\bafter (?:HELO|EHLO)\b/i, example: 'SMTP error from remote mail server after initial connection:', sources: ['exim'] },
  { stage: 'connect', pattern: /\bbut greeting failed\b|\bbut my name was rejected\b|\bsaid in greeting\b|\bgreeting (?:failure|error)\b/i, example: 'Connected to 192.0.2.1 but greeting failed.', sources: [] },
  { stage: 'connect', pattern: /\(state 13\)/, example: '421 4.7.0 Try again later, closing connection. (state 13).', sources: ['gmail'] },
];
