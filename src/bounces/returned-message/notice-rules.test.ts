// Owns the tests that every data row of the notice, stage, auto-reply and quote tables matches its example.
import { describe, expect, it } from 'vitest';
import { BOUNCE_PHRASES, BOUNCE_SENDERS, BOUNCE_SUBJECTS, DELAY_PHRASES, GAVE_UP_PHRASES, ORIGINAL_MARKERS, SUCCESS_PHRASES } from './notice-rules.ts';
import { smtpStageIn } from './smtp-command-stage.ts';
import { ALL_BOUNCE_RULES } from '../rules/rule-set.ts';
import { isAutoReply } from './detect-auto-reply.ts';
import { parseHeaderFields } from './header-fields.ts';

describe('notice rule tables', () => {
  const rows = Object.entries({ BOUNCE_SENDERS, BOUNCE_SUBJECTS, BOUNCE_PHRASES, DELAY_PHRASES, GAVE_UP_PHRASES, SUCCESS_PHRASES, ORIGINAL_MARKERS })
    .flatMap(([table, rules]) => rules.map((rule, index) => [`${table}[${index}]`, rule] as const));
  it.each(rows)('%s matches its own example', (_name, rule) => {
    expect(rule.pattern.test(rule.example)).toBe(true);
  });

  it('a bounce subject does not match an ordinary subject', () => {
    for (const subject of ['Your invoice for March', 'Re: lunch tomorrow?', 'Welcome to Sendtrail']) {
      expect(BOUNCE_SUBJECTS.some((rule) => rule.pattern.test(subject))).toBe(false);
    }
  });
});

describe('the SMTP stage a refusal answered', () => {
  it.each([
    ['Postfix', '(in reply to end of DATA command)', 'data'],
    ['Postfix', '(in reply to RCPT TO command)', 'rcpt'],
    ['Exim', 'SMTP error from remote mail server after MAIL FROM:<news@example.net> SIZE=1234:', 'mail'],
    ['Exim', 'SMTP error from remote mail server after initial connection:', 'connect'],
    ['Sendmail', '>>> DATA\n<<< 550 Unknown user ann@example.org', 'data'],
    ['Postfix, wrapped', '550 5.1.1 <ann@example.org>: User unknown (in reply to\n    RCPT TO command)', 'rcpt'],
    ['qmail', '192.0.2.153 does not like recipient.\nRemote host said: 550 5.1.1 <ann@example.org>... User Unknown', 'rcpt'],
    ['qmail', 'Connected to 192.0.2.135 but sender was rejected.', 'mail'],
    ['qmail', '192.0.2.153 failed after I sent the message.', 'data'],
    ['Symantec', 'Technical details: SMTP:RCPT host 192.0.2.8: 553 5.3.0 <ann@example.org>... No such user here', 'rcpt'],
    ['Gmail', 'The error that the other server returned was: 550 550 Unknown user ann@example.org (state 18).', 'data'],
    ['Gmail', 'The error that the other server returned was: 550 550 5.1.1 <ann@example.org>... User Unknown (state 14).', 'rcpt'],
    ['none', '550 5.1.1 <ann@example.org>... User Unknown', null],
  ])('%s: %j is %s', (_family, text, stage) => {
    expect(smtpStageIn(text, ALL_BOUNCE_RULES)).toBe(stage);
  });
});

describe('auto-reply headers (RFC 3834)', () => {
  it.each([
    ['Auto-Submitted: auto-replied\nSubject: Away until May 5', true],
    ['Subject: Automatic reply: your order', true],
    ['X-Autoreply: yes\nSubject: hello', true],
    ['Auto-Submitted: no\nSubject: Re: lunch', false],
    ['Subject: Re: lunch', false],
  ])('%j is an auto-reply: %s', (headers, expected) => {
    expect(isAutoReply(parseHeaderFields(headers))).toBe(expected);
  });
});
