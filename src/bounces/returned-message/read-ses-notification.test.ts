// Owns the tests of Amazon SES notifications that arrive by email (SNS email and email-json endpoints).
import { describe, expect, it } from 'vitest';
import { classifyReturnedMessage } from './classify-returned-message.ts';

const mail = { timestamp: '2026-03-01T10:00:00.000Z', source: 'news@example.com', messageId: '0100018e-aaaa-bbbb-cccc-000000000001-000000', destination: ['ann@example.org'] };

/** An SNS email notification: the JSON as the body, then SNS's unsubscribe footer. */
function snsEmail(body: string): string {
  return [
    'From: AWS Notifications <no-reply@sns.amazonaws.com>', 'To: ops@example.com', 'Subject: AWS Notification Message',
    'Message-ID: <0100018e-sns@email.amazonses.com>', 'Content-Type: text/plain; charset=UTF-8', 'Content-Transfer-Encoding: 7bit', '',
    body, '', '--', 'If you wish to stop receiving notifications from this topic, please click or visit the link below to unsubscribe:',
    'https://sns.us-east-1.amazonaws.com/unsubscribe.html?SubscriptionArn=arn:aws:sns:us-east-1:123456789012:ses-events', '',
  ].join('\r\n');
}

/** Lines cut at 76 characters, as some mail paths wrap a long body line. */
const wrapped = (text: string): string => text.match(/.{1,76}/g)?.join('\r\n') ?? text;

const bounce = (bounceType: string, bounceSubType: string, recipient: Record<string, string>) => JSON.stringify({
  notificationType: 'Bounce', mail,
  bounce: { bounceType, bounceSubType, bouncedRecipients: [recipient], timestamp: '2026-03-01T10:00:01.000Z', feedbackId: '0100018e-f', reportingMTA: 'dsn; a8-1.smtp-out.amazonses.com' },
});

describe('Amazon SES bounce notifications by email', () => {
  it('a permanent bounce with a 5.1.1 diagnostic is a hard userunknown bounce, tied to the email by the SES message id', async () => {
    const result = await classifyReturnedMessage(snsEmail(bounce('Permanent', 'General', { emailAddress: 'Ann@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })));
    expect(result.kind).toBe('bounce');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', action: 'failed', status: '5.1.1', reason: 'userunknown', hard: true })]);
    expect(result.correlation.messageIds).toContain(mail.messageId);
  });

  it("is tied to our email by the original's Message-ID and X-Sendtrail-ID when SES returns the headers", async () => {
    const withHeaders = { ...mail, headersTruncated: false, headers: [{ name: 'Message-ID', value: '<em_42@example.com>' }, { name: 'X-Sendtrail-ID', value: 'em_42' }], commonHeaders: { messageId: '<em_42@example.com>', subject: 'Spring news' } };
    const body = JSON.stringify({ notificationType: 'Bounce', mail: withHeaders, bounce: { bounceType: 'Permanent', bounceSubType: 'NoEmail', bouncedRecipients: [{ emailAddress: 'ann@example.org' }] } });
    const result = await classifyReturnedMessage(snsEmail(body));
    expect(result.correlation.messageIds).toEqual([mail.messageId, 'em_42@example.com']);
    expect(result.correlation.sendtrailIds).toEqual(['em_42']);
  });

  it('is read when the JSON was wrapped into lines on its way, even inside its first key', async () => {
    const split = `{"notifica\r\ntionType":"Bounce",${bounce('Permanent', 'General', { emailAddress: 'ann@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' }).slice('{"notificationType":"Bounce",'.length)}`;
    expect((await classifyReturnedMessage(snsEmail(split))).results).toEqual([expect.objectContaining({ reason: 'userunknown', hard: true })]);
  });

  it('is read when the JSON was wrapped into lines on its way', async () => {
    const result = await classifyReturnedMessage(snsEmail(wrapped(bounce('Transient', 'MailboxFull', { emailAddress: 'ann@example.org', action: 'failed', status: '5.2.2', diagnosticCode: 'smtp; 552 5.2.2 Mailbox full' }))));
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'mailboxfull', hard: false })]);
  });

  it("takes SES's own sub-type when the recipient carries no diagnostic", async () => {
    const noEmail = await classifyReturnedMessage(snsEmail(bounce('Permanent', 'NoEmail', { emailAddress: 'ann@example.org' })));
    expect(noEmail.results).toEqual([expect.objectContaining({ reason: 'userunknown', hard: true })]);
    const suppressed = await classifyReturnedMessage(snsEmail(bounce('Permanent', 'OnAccountSuppressionList', { emailAddress: 'ann@example.org', action: 'failed', status: '5.1.1', diagnosticCode: 'Amazon SES did not send the message to this address because it is on the suppression list for your account.' })));
    expect(suppressed.results).toEqual([expect.objectContaining({ reason: 'suppressed', hard: false })]);
    const tooLarge = await classifyReturnedMessage(snsEmail(bounce('Transient', 'MessageTooLarge', { emailAddress: 'ann@example.org' })));
    expect(tooLarge.results).toEqual([expect.objectContaining({ reason: 'mesgtoobig', hard: false })]);
  });

  it('reads SES event publishing (eventType) and pretty-printed JSON', async () => {
    const event = JSON.stringify({ eventType: 'Bounce', mail, bounce: { bounceType: 'Permanent', bounceSubType: 'General', bouncedRecipients: [{ emailAddress: 'bob@example.net', action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 <bob@example.net>: Recipient address rejected: User unknown in virtual mailbox table' }] } }, null, 2);
    const result = await classifyReturnedMessage(snsEmail(event));
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'bob@example.net', reason: 'userunknown', hard: true })]);
  });
});

describe('Amazon SES complaint and delivery notifications by email', () => {
  it('a complaint in an SNS email-json envelope is a complaint of its recipient', async () => {
    const complaint = { notificationType: 'Complaint', mail, complaint: { complainedRecipients: [{ emailAddress: 'ann@example.org' }], timestamp: '2026-03-01T11:00:00.000Z', feedbackId: '0100018e-c', complaintFeedbackType: 'abuse', userAgent: 'Yahoo!-Mail-Feedback/2.0' } };
    const envelope = JSON.stringify({ Type: 'Notification', MessageId: 'b1c2', TopicArn: 'arn:aws:sns:us-east-1:123456789012:ses-complaints', Message: JSON.stringify(complaint), Timestamp: '2026-03-01T11:00:01.000Z' }, null, 2);
    const result = await classifyReturnedMessage(snsEmail(envelope));
    expect(result.kind).toBe('complaint');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'feedback', feedback: true, feedback_type: 'abuse', hard: false })]);
  });

  it('a delivery notification says delivered, not a bounce', async () => {
    const delivery = JSON.stringify({ notificationType: 'Delivery', mail, delivery: { timestamp: '2026-03-01T10:00:02.000Z', recipients: ['ann@example.org'], smtpResponse: '250 2.6.0 Message received', reportingMTA: 'a8-1.smtp-out.amazonses.com' } });
    const result = await classifyReturnedMessage(snsEmail(wrapped(delivery)));
    expect(result.kind).toBe('delivery_report');
    expect(result.results).toEqual([expect.objectContaining({ recipient: 'ann@example.org', reason: 'delivered', hard: false })]);
  });

  it('a text that only mentions a notification type is no notification', async () => {
    const result = await classifyReturnedMessage(snsEmail('We changed how {"notificationType" fields are documented.'));
    expect(result.results).toEqual([]);
  });
});
