// Owns the behaviour tests of classifyReturnedMessage on messages built like the ones real servers send.
import { describe, expect, it } from 'vitest';
import { classifyReturnedMessage } from './classify-returned-message.ts';

type DsnOptions = { action?: string; status?: string; diagnostic?: string; envid?: string };

/** A DSN shaped like the one Postfix 3.7 sends (multipart/report, the original's headers returned). */
function postfixDsn({ action = 'failed', status = '5.1.1', diagnostic = 'smtp; 550 5.1.1 <ann@example.org>: Recipient address rejected: User unknown in local recipient table', envid = 'em_123' }: DsnOptions = {}): string {
  return [
    'From: MAILER-DAEMON@relay.example.net (Mail Delivery System)', 'To: b+token@bounces.example.test',
    'Subject: Undelivered Mail Returned to Sender', 'Message-Id: <20260301.ABC@relay.example.net>', 'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
    '--B', 'Content-Type: text/plain', '', 'This is the mail system at host relay.example.net.', '',
    `<ann@example.org>: host mx.example.org[192.0.2.4] said: ${diagnostic.replace(/^smtp; /, '')} (in reply to RCPT TO command)`, '',
    '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; relay.example.net', `Original-Envelope-Id: ${envid}`, '',
    'Final-Recipient: rfc822; ann@example.org', 'Original-Recipient: rfc822;ann@example.org', `Action: ${action}`, `Status: ${status}`,
    'Remote-MTA: dns; mx.example.org', `Diagnostic-Code: ${diagnostic}`, '',
    '--B', 'Content-Type: text/rfc822-headers', '', 'From: news@example.com', 'To: ann@example.org', 'Subject: Spring news',
    'Message-ID: <em_123@example.com>', 'X-Sendtrail-ID: em_123', '', '--B--', '',
  ].join('\r\n');
}

describe('RFC 3464 delivery reports', () => {
  it('a 550 5.1.1 DSN is a hard userunknown bounce tied to the email by ENVID, Message-ID and X-Sendtrail-ID', async () => {
    const result = await classifyReturnedMessage(postfixDsn());
    expect(result.kind).toBe('bounce');
    expect(result.results).toEqual([expect.objectContaining({
      recipient: 'ann@example.org', action: 'failed', status: '5.1.1', reply_code: 550, reason: 'userunknown', hard: true,
      feedback: false, vacation: false, remote_mta: 'mx.example.org',
    })]);
    expect(result.results[0]?.diagnostic).toContain('User unknown in local recipient table');
    expect(result.correlation).toEqual({ envelopeIds: ['em_123'], messageIds: ['em_123@example.com'], sendtrailIds: ['em_123'], recipients: ['ann@example.org'] });
    expect(result.messageId).toBe('20260301.ABC@relay.example.net');
  });

  it('an expired deferral (failed with 4.4.1 and a timeout) is a soft expired bounce, classified from the whole report', async () => {
    const result = await classifyReturnedMessage(postfixDsn({ status: '4.4.1', diagnostic: 'X-Postfix; connect to mx.example.org[192.0.2.4]:25: Connection timed out' }));
    expect(result.results[0]).toMatchObject({ action: 'failed', reason: 'expired', hard: false });
  });

  it('a delayed DSN is a delivery report, not a bounce', async () => {
    const result = await classifyReturnedMessage(postfixDsn({ action: 'delayed', status: '4.2.2', diagnostic: 'smtp; 452 4.2.2 Mailbox full' }));
    expect(result.kind).toBe('delivery_report');
    expect(result.results[0]).toMatchObject({ action: 'delayed', reason: 'mailboxfull', hard: false });
  });

  it('a success DSN (action relayed) says delivered', async () => {
    const result = await classifyReturnedMessage(postfixDsn({ action: 'relayed', status: '2.0.0', diagnostic: 'smtp; 250 2.0.0 Ok: queued as 123' }));
    expect(result.kind).toBe('delivery_report');
    expect(result.results[0]).toMatchObject({ action: 'relayed', reason: 'delivered', hard: false });
  });
});

describe('notices without delivery-status fields', () => {
  it('a qmail notice names the recipient and the remote reply', async () => {
    const raw = 'From: MAILER-DAEMON@mx.example.net\nTo: news@example.com\nSubject: failure notice\n\nHi. This is the qmail-send program at mx.example.net.\nI\'m afraid I wasn\'t able to deliver your message to the following addresses.\nThis is a permanent error; I\'ve given up. Sorry it didn\'t work out.\n\n<bob@example.org>:\n192.0.2.25 does not like recipient.\nRemote host said: 552 5.2.2 <bob@example.org>: Mailbox is full\n\n--- Below this line is a copy of the message.\n\nReturn-Path: <news@example.com>\nMessage-ID: <em_9@example.com>\nFrom: news@example.com\nTo: bob@example.org\n\nhello\n';
    const result = await classifyReturnedMessage(raw);
    expect(result.kind).toBe('bounce');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'bob@example.org', reason: 'mailboxfull', hard: false, status: '5.2.2', reply_code: 552 })]);
    expect(result.correlation.messageIds).toEqual(['em_9@example.com']);
  });

  it('a qmail "User unknown" refused at RCPT is hard; the same words after DATA are a soft filter', async () => {
    const notice = (stage: string): string => `From: MAILER-DAEMON@mx.example.net\nTo: news@example.com\nSubject: failure notice\n\nHi. This is the qmail-send program at mx.example.net.\n\n<bob@example.org>:\n${stage}\nRemote host said: 550 <bob@example.org>: User unknown\n\n--- Below this line is a copy of the message.\n\nTo: bob@example.org\n`;
    expect((await classifyReturnedMessage(notice('192.0.2.25 does not like recipient.'))).results[0]).toMatchObject({ reason: 'userunknown', hard: true });
    expect((await classifyReturnedMessage(notice('192.0.2.25 failed after I sent the message.'))).results[0]).toMatchObject({ reason: 'filtered', hard: false });
  });

  it('a Japanese carrier notice with a raw UTF-8 subject is a bounce for the address it names', async () => {
    const raw = Buffer.from('From: no-reply@example.ne.jp\nTo: news@example.com\nSubject: メールエラー通知\nContent-Type: text/plain; charset=utf-8\n\n送信先のメールボックスが一杯のため、送信できませんでした。\nYour mail sent on: Thu, 29 Apr 2013 23:45:22 +0900\n     Could not be delivered to: <ann@example.ne.jp>\n', 'utf8');
    const result = await classifyReturnedMessage(raw);
    expect(result.kind).toBe('bounce');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.ne.jp', reason: 'mailboxfull', hard: false })]);
  });

  it("an fml mailing list's refusal names the list and is a soft rejected", async () => {
    const raw = 'From: news-admin@example.org\nTo: ann@example.net\nSubject: You ann@example.net are not member (news ML)\nX-MLServer: fml [fml 4.0.3 release (20040609)];\nList-Subscribe: <mailto:news-ctl@example.org?body=subscribe>\nMessage-ID: <200504292334.FMLAAB12345.news@example.org>\n\nYou are not a member of this mailing list <news@example.org>.\nIf you know the general guide of this list, please send mail with the mail body\n\nguide\n\nto the address\n\n<news-ctl@example.org>\n';
    const result = await classifyReturnedMessage(raw);
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'news@example.org', reason: 'rejected', hard: false })]);
  });
});

describe('complaints (ARF, RFC 5965)', () => {
  it('a feedback report is a complaint with its feedback type, never a bounce', async () => {
    const raw = ['From: feedback@fbl.example.net', 'To: abuse@example.com', 'Subject: FW: Spring news', 'MIME-Version: 1.0',
      'Content-Type: multipart/report; report-type=feedback-report; boundary="F"', '', '--F', 'Content-Type: text/plain', '', 'An abuse report.', '',
      '--F', 'Content-Type: message/feedback-report', '', 'Feedback-Type: abuse', 'User-Agent: FBL/1.0', 'Version: 1', 'Original-Rcpt-To: <Ann@Example.org>', '',
      '--F', 'Content-Type: message/rfc822', '', 'From: news@example.com', 'To: ann@example.org', 'Message-ID: <em_5@example.com>', 'X-Sendtrail-ID: em_5', '', 'hi', '--F--', ''].join('\r\n');
    const result = await classifyReturnedMessage(raw);
    expect(result.kind).toBe('complaint');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'feedback', feedback: true, feedback_type: 'abuse', hard: false })]);
    expect(result.correlation.sendtrailIds).toEqual(['em_5']);
  });
});

describe('replies', () => {
  it('an out-of-office reply is an auto-reply with vacation, never a bounce', async () => {
    const raw = 'From: Ann <ann@example.org>\nTo: news@example.com\nSubject: Automatic reply: Spring news\nAuto-Submitted: auto-replied\nIn-Reply-To: <em_7@example.com>\n\nI am out of the office until Monday; your message could not be read before then.\n';
    const result = await classifyReturnedMessage(raw);
    expect(result.kind).toBe('auto_reply');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'vacation', vacation: true, hard: false })]);
    expect(result.correlation.messageIds).toEqual(['em_7@example.com']);
  });

  it('a human reply keeps only the new text, without the quoted original', async () => {
    const raw = 'From: Ann <ann@example.org>\nTo: reply+em_8@replies.example.com\nSubject: Re: Spring news\nIn-Reply-To: <em_8@example.com>\nReferences: <em_8@example.com>\nMessage-ID: <r1@example.org>\n\nYes please, send me the catalogue.\n\nOn Tue, 3 Mar 2026 at 10:00, News <news@example.com> wrote:\n> Spring is here.\n> Want the catalogue?\n';
    const result = await classifyReturnedMessage(raw);
    expect(result).toMatchObject({ kind: 'reply', results: [], messageId: 'r1@example.org' });
    expect(result.reply).toEqual({ text: 'Yes please, send me the catalogue.', from: 'ann@example.org', subject: 'Re: Spring news' });
    expect(result.correlation.messageIds).toEqual(['em_8@example.com']);
  });

  it('an ordinary message is other, with no results', async () => {
    const result = await classifyReturnedMessage('From: ann@example.org\nTo: hello@example.com\nSubject: Question about pricing\n\nHow much is it?\n');
    expect(result).toMatchObject({ kind: 'other', results: [] });
  });
});

describe('broken input', () => {
  it.each([
    ['an empty message', ''],
    ['binary junk', Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 131 + 7) % 256))],
    ['a multipart/report with no boundary in the body', 'Content-Type: multipart/report; boundary="X"\n\n--Y\nFinal-Recipient: rfc822;\nAction:\n'],
    ['a header-only message', 'From: MAILER-DAEMON@example.org\nSubject: Undelivered Mail'],
  ])('%s never throws', async (_name, raw) => {
    const result = await classifyReturnedMessage(raw);
    expect(['bounce', 'delivery_report', 'complaint', 'auto_reply', 'reply', 'other']).toContain(result.kind);
  });
});
