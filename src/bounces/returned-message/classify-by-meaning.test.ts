// Owns the tests of the reply kinds the rules read from their meaning (RFC 3463, the providers' published
// replies) rather than from corpus files: the recurring misses on bounces the rules were not fitted to.
import { describe, expect, it } from 'vitest';
import { classifySmtpReply } from '../classify-smtp-reply.ts';
import { classifyReturnedMessage } from './classify-returned-message.ts';

type Dsn = { action?: string; status: string; diagnostic: string | null; text?: string };

/** A multipart/report DSN (RFC 3464) about ann@example.org. */
function dsn({ action = 'failed', status, diagnostic, text = 'Your message could not be delivered.' }: Dsn): string {
  return [
    'From: Mail Delivery System <MAILER-DAEMON@relay.example.net>', 'To: b+token@bounces.example.test', 'Subject: Delivery Status Notification',
    'MIME-Version: 1.0', 'Content-Type: multipart/report; report-type=delivery-status; boundary="B"', '',
    '--B', 'Content-Type: text/plain', '', text, '',
    '--B', 'Content-Type: message/delivery-status', '', 'Reporting-MTA: dns; relay.example.net', '',
    'Final-Recipient: rfc822; ann@example.org', `Action: ${action}`, `Status: ${status}`, 'Remote-MTA: dns; mx.example.org',
    ...(diagnostic === null ? [] : [`Diagnostic-Code: ${diagnostic}`]), '',
    '--B', 'Content-Type: text/rfc822-headers', '', 'From: news@example.com', 'To: ann@example.org', 'Message-ID: <em_1@example.com>', '', '--B--', '',
  ].join('\r\n');
}

/** A notice for people, no delivery-status fields (Gmail, qmail, Exchange write these). */
function notice(subject: string, body: string): string {
  return `From: Mail Delivery Subsystem <mailer-daemon@mail.example.net>\nTo: news@example.com\nSubject: ${subject}\n\n${body}\n\n----- Original message -----\n\nFrom: news@example.com\nTo: ann@example.org\nMessage-ID: <em_2@example.com>\n\nhello\n`;
}

describe('words that a mailbox does not exist, whatever the status or stage', () => {
  it.each([
    ["Exchange Online's directory lookup under 5.1.10", '5.1.10', 'smtp; 550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
    ['a mailbox not found under 5.0.0', '5.0.0', 'smtp; 550 Requested action not taken: mailbox not found'],
    ["qmail's words under 5.0.0", '5.0.0', "smtp; 550 sorry, no mailbox here by that name. (#5.1.1)"],
    ['an invalid recipient under 5.5.0', '5.5.0', 'smtp; 550 5.5.0 Invalid recipient <ann@example.org>'],
    ['a recipient table lookup under 5.2.1', '5.2.1', 'smtp; 550 5.2.1 <ann@example.org>: Recipient address rejected: User unknown in local recipient table'],
    ["Messaging Server's alias lookup under 5.0.0", '5.0.0', 'smtp; 550 5.0.0 unknown or illegal alias: ann@example.org'],
    ['an account that does not exist, after DATA', '5.0.0', 'smtp; 550 5.0.0 The account ann@example.org does not exist (in reply to end of DATA command)'],
  ])('%s is userunknown and hard', async (_case, status, diagnostic) => {
    const result = await classifyReturnedMessage(dsn({ status, diagnostic }));
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'userunknown', hard: true })]);
  });

  it('a Yahoo notice names the command it answered: a bare "User unknown" at [RCPT_TO] is a missing mailbox', async () => {
    const result = await classifyReturnedMessage(notice('Failure Notice', "Sorry, we were unable to deliver your message to the following address.\n\n<ann@example.org>:\nRemote host said: 550 5.0.0 <ann@example.org>... User unknown [RCPT_TO]"));
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'userunknown', hard: true })]);
  });

  it('a bare "User unknown" answering DATA stays a soft filter: the mailbox took RCPT TO, so it exists', async () => {
    const result = await classifyReturnedMessage(dsn({ status: '5.0.0', diagnostic: 'smtp; 550 User unknown (in reply to end of DATA command)' }));
    expect(result.results[0]).toMatchObject({ reason: 'filtered', hard: false });
  });
});

describe("au by KDDI's two forms of \"User unknown\" (Sisimai's Rhost::KDDI)", () => {
  const kddi = (diagnostic: string) => dsn({ status: '5.0.0', diagnostic }).replaceAll('ann@example.org', 'ann@ezweb.ne.jp');

  it('"550 <address>: User unknown" names the address it has no mailbox for: userunknown, hard', async () => {
    const result = await classifyReturnedMessage(kddi('smtp; 550 <ann@ezweb.ne.jp>: User unknown'));
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@ezweb.ne.jp', reason: 'userunknown', hard: true })]);
  });

  it('"550 : User unknown", the address left out, is its reception filter: filtered, soft', async () => {
    const result = await classifyReturnedMessage(kddi('smtp; 550 : User unknown'));
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@ezweb.ne.jp', reason: 'filtered', hard: false })]);
  });

  it('the same form from another provider is still a bare "User unknown" with no stage: filtered', async () => {
    const result = await classifyReturnedMessage(dsn({ status: '5.0.0', diagnostic: 'smtp; 550 <ann@example.org>: User unknown' }));
    expect(result.results[0]).toMatchObject({ reason: 'filtered', hard: false });
  });
});

describe('delays, network trouble and expiry', () => {
  it('a notice that the message will be retried is a delay (expired in the taxonomy), not a bounce', async () => {
    const result = await classifyReturnedMessage(notice('Delivery Status Notification (Delay)', "This is an automatically generated Delivery Status Notification\n\nTHIS IS A WARNING MESSAGE ONLY.\n\nYOU DO NOT NEED TO RESEND YOUR MESSAGE.\n\nDelivery to the following recipient has been delayed:\n\n     ann@example.org\n\nMessage will be retried for 2 more day(s)\n\nTechnical details of temporary failure:\nThe recipient server refused the message for reasons of its own."));
    expect(result.kind).toBe('delivery_report');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', action: 'delayed', reason: 'expired', hard: false })]);
  });

  it.each([
    ['Postfix', 'Delayed Mail (still being retried)', 'This is the mail system at host mx.example.net.\n\n# THIS IS A WARNING ONLY. YOU DO NOT NEED TO RESEND YOUR MESSAGE. #\n\nYour message could not be delivered for more than 4 hour(s).\nIt will be retried until it is 5 day(s) old.\n\n<ann@example.org>: connect to mx.example.org[192.0.2.1]:25: Connection refused', 'networkerror'],
    ['Exchange', 'Delivery delayed: Spring news', "Delivery is delayed to these recipients or groups:\n\nann@example.org\n\nThis message hasn't been delivered yet. Delivery will continue to be attempted.\nThe server will keep trying to deliver this message for the next 1 days, 19 hours and 53 minutes.", 'expired'],
  ])('%s: a delay warning without delivery-status fields is a delay with its cause (%s)', async (_family, subject, body, reason) => {
    const result = await classifyReturnedMessage(notice(subject, body));
    expect(result.kind).toBe('delivery_report');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', action: 'delayed', reason, hard: false })]);
  });

  it('a failure notice whose sentence is wrapped over lines stays a failure', async () => {
    const result = await classifyReturnedMessage(notice('Undelivered Mail Returned to Sender', "This is the mail system at host mx.example.net.\n\nI'm sorry to have to inform you that your message could not\nbe delivered to one or more recipients.\n\n<ann@example.org>: host mx.example.org[192.0.2.1] said: 550 5.1.1 User unknown (in reply to RCPT TO command)"));
    expect(result.kind).toBe('bounce');
    expect(result.results[0]).toMatchObject({ action: 'failed', reason: 'userunknown', hard: true });
  });

  it('a notice whose retries are over stays a failure even when it quotes the earlier delay', async () => {
    const result = await classifyReturnedMessage(notice('Delivery Status Notification (Failure)', "Delivery to the following recipient failed permanently:\n\n     ann@example.org\n\nTechnical details of permanent failure:\nThe message will not be retried. Earlier notice: Message will be retried for 2 more day(s)\n550 5.1.1 The email account that you tried to reach does not exist."));
    expect(result.kind).toBe('bounce');
    expect(result.results[0]).toMatchObject({ action: 'failed', reason: 'userunknown' });
  });

  it.each([
    ["Office 365's DNS query failed, even when the message expired over it", '5.4.312', 'smtp; 550 5.4.312 Message expired, DNS query failed', 'networkerror'],
    ['a delayed report on a failed DNS query', '4.4.312', 'smtp; 451 4.4.312 DNS query failed. The error was: DNS query failed with error: ServerFailure', 'networkerror'],
    ["Gmail's unreachable MXs", '4.4.1', 'smtp; Network error on destination MXs', 'networkerror'],
    ['a DNS lookup that will be tried again', '4.4.3', 'X-Postfix; Host or domain name not found. Name service error for name=example.org type=MX: Host not found, try again', 'networkerror'],
    ['a domain that does not exist', '5.4.4', 'X-Postfix; Host or domain name not found. Name service error for name=nowhere.example type=A: Host not found', 'hostunknown'],
  ])('%s is %s', async (_case, status, diagnostic, reason) => {
    const result = await classifyReturnedMessage(dsn({ status, diagnostic }));
    expect(result.results[0]).toMatchObject({ reason });
  });
});

describe('size limits, senders, sending hosts and rates (definitions in docs/architecture.md)', () => {
  it.each([
    ['the recipient\'s own limit (X.2.3)', '552 5.2.3 Message size exceeds limit set by recipient', 'exceedlimit'],
    ['a generic "too large" under the mailbox status X.2.3', '552 5.2.3 Message size exceeds fixed maximum message size', 'exceedlimit'],
    ["the system's limit (X.3.4)", '552 5.3.4 Message size exceeds fixed maximum message size', 'mesgtoobig'],
    ['a sender address on a block list', '550 5.7.1 Sender address <news@example.com> is blacklisted', 'rejected'],
    ['a sender refused', '553 5.7.1 <news@example.com>: Sender address rejected: not owned by user', 'rejected'],
    ['the sending IP on a block list', '554 5.7.1 Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org', 'blocked'],
    ['the sending IP banned', '550 5.7.606 Access denied, banned sending IP [192.0.2.1]', 'blocked'],
    ["the sending IP's reputation", '421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to unexpected volume or user complaints', 'badreputation'],
    ["Microsoft's rate limit for IP reputation", '451 4.7.650 The mail server [192.0.2.1] has been temporarily rate limited due to IP reputation.', 'badreputation'],
    ['a frequency limit on the sending IP', '550 Ip frequency limited [192.0.2.1]. http://service.mail.qq.com/cgi-bin/help?subtype=1&&id=20022&&no=1000725', 'toomanyconn'],
    ['too many connections', '421 4.7.0 Too many concurrent connections from this IP', 'toomanyconn'],
  ])('%s is %s', (_case, message, reason) => {
    expect(classifySmtpReply({ message }).reason).toBe(reason);
  });
});

describe('delivered and relayed reports', () => {
  it.each([
    ['Action: relayed, Status 2.0.0', 'relayed', '2.0.0', 'smtp; 250 2.0.0 OK'],
    ['Action: delivered', 'delivered', '2.0.0', 'smtp; 250 2.0.0 Message accepted for delivery'],
    ['a 2.x.x status with an unknown action', 'x-unknown', '2.6.0', 'smtp; 250 2.6.0 Queued mail for delivery'],
  ])('%s says delivered', async (_case, action, status, diagnostic) => {
    const result = await classifyReturnedMessage(dsn({ action, status, diagnostic, text: 'This is a delivery status notification.' }));
    expect(result.kind).toBe('delivery_report');
    expect(result.results[0]).toMatchObject({ reason: 'delivered', hard: false });
  });

  it('a success notice without delivery-status fields says delivered', async () => {
    const result = await classifyReturnedMessage(notice('Delivery Status Notification (Success)', 'Your message has been successfully delivered to the following recipients:\n\n     ann@example.org'));
    expect(result.kind).toBe('delivery_report');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'delivered', hard: false })]);
  });
});

describe("providers' published replies", () => {
  it.each([
    ['Yahoo', 'suspend', 'Sorry, your message to ann@yahoo.com cannot be delivered. This mailbox is disabled (554.30).'],
    ['Gmail', 'suspend', '550-5.2.1 The email account that you tried to reach is disabled. Learn more at https://support.google.com/mail/?p=DisabledUser'],
    ['Gmail', 'mailboxfull', '452-4.2.2 The email account that you tried to reach is over quota. Please direct the recipient to https://support.google.com/mail/?p=OverQuotaTemp'],
    ['Outlook.com', 'blocked', "550 5.7.1 Unfortunately, messages from [192.0.2.1] weren't sent. Please contact your Internet service provider since part of their network is on our block list (S3150)."],
    ['Yahoo', 'blocked', "553 5.7.1 [BL21] Connections will not be accepted from 192.0.2.1, because the ip is in Spamhaus's list; see https://postmaster.yahooinc.com/error-codes"],
    ['Gmail', 'authfailure', '550-5.7.26 This mail is unauthenticated, which poses a security risk to the sender and Gmail users, and has been blocked.'],
    ['iCloud', 'policyviolation', '554 5.7.1 [CS01] Message rejected due to local policy. Please visit https://support.apple.com/en-us/HT204137'],
    ['Yahoo', 'policyviolation', '554 Message not allowed - [PH01] Email not accepted for policy reasons. Please visit https://postmaster.yahooinc.com/error-codes'],
    ['an allow-list', 'blocked', '421 4.7.0 IP not in whitelist for RCPT domain, closing connection.'],
    ['Exchange Online', 'userunknown', '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'],
    ['a relay quoting a refusal', 'userunknown', '550 5.1.1 <ann@example.org>: Recipient address rejected: undeliverable address: host mx.example.org[192.0.2.1] said: 550 5.1.1 unknown user'],
    ['a sender list', 'rejected', '550 5.7.1 Your email address has been blacklisted'],
    ['a sender reputation', 'badreputation', '550 5.7.1 Rejected due to poor sender reputation'],
    ['an IP list', 'blocked', '550 5.7.1 Your IP address 192.0.2.1 is blacklisted'],
    ['a domain frequency limit', 'toomanyconn', '451 4.7.1 Domain frequency limited, please try again later'],
    ['a DNS timeout', 'networkerror', '451 4.4.0 DNS resolution timed out'],
    ['a DNS answer to try again, with no status', 'networkerror', 'Name service error for domain example.com: Host not found, try again'],
    ["the sender's domain that does not exist (never a missing recipient)", 'rejected', '553 5.1.8 <news@nowhere.example>... Domain of sender address news@nowhere.example does not exist'],
  ])('%s: %s for %j', (_provider, reason, message) => {
    expect(classifySmtpReply({ message }).reason).toBe(reason);
  });
});
