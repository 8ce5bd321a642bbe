// Mail that simulated recipients send back, built as real mail servers and people build it: a DSN
// (RFC 3464), an ARF complaint (RFC 5965), an auto-reply (RFC 3834) and a human reply (RFC 5322
// section 3.6.4), each delivered over SMTP to Sendtrail's inbound server.
import { randomUUID } from 'node:crypto';
import nodemailer from 'nodemailer';

/** The message a simulated MX accepted (structurally the simulator's Original). */
export type Original = { mailFrom: string; recipient: string; raw: Buffer; acceptedAt: Date };

const MTA = 'mx.simulator.test';

/** The original's header block, unfolded fields read case-insensitively (RFC 5322 section 2.2.3). */
export function headerBlock(raw: Buffer): string {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}

function field(raw: Buffer, name: string): string | undefined {
  const m = new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(headerBlock(raw));
  return m?.[1]!.replace(/\r?\n[ \t]+/g, ' ').trim();
}

const date = () => new Date().toUTCString().replace('GMT', '+0000');
const messageId = () => `<${randomUUID()}@${MTA}>`;
const crlf = (lines: string[]) => lines.join('\r\n');

/** RFC 3464 delivery status notification for one recipient, with the original's headers (RET=HDRS). */
export function buildDsn(m: Original, dsn: { action: 'failed' | 'delayed'; status: string; diagnostic: string }): string {
  const boundary = `dsn-${randomUUID()}`;
  const envid = field(m.raw, 'X-Sendtrail-ID');
  return crlf([
    `From: Mail Delivery System <MAILER-DAEMON@${MTA}>`,
    `To: ${m.mailFrom}`,
    `Subject: ${dsn.action === 'failed' ? 'Undelivered Mail Returned to Sender' : 'Delayed Mail (still being retried)'}`,
    `Date: ${date()}`,
    `Message-ID: ${messageId()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    `The mail system could not deliver your message to <${m.recipient}>: ${dsn.diagnostic}`,
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    `Reporting-MTA: dns; ${MTA}`,
    ...(envid ? [`Original-Envelope-Id: ${envid}`] : []),
    `Arrival-Date: ${m.acceptedAt.toUTCString()}`,
    '',
    `Final-Recipient: rfc822; ${m.recipient}`,
    `Action: ${dsn.action}`,
    `Status: ${dsn.status}`,
    `Remote-MTA: dns; ${MTA}`,
    `Diagnostic-Code: smtp; ${dsn.diagnostic}`,
    '',
    ...returnedHeadersPart(boundary, m.raw),
  ]);
}

/** RFC 5965 feedback report: the recipient pressed "this is spam" at their mailbox provider. */
export function buildComplaint(m: Original): string {
  const boundary = `arf-${randomUUID()}`;
  return crlf([
    `From: Feedback Loop <fbl@${MTA}>`,
    `To: ${m.mailFrom}`,
    'Subject: Abuse report',
    `Date: ${date()}`,
    `Message-ID: ${messageId()}`,
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=feedback-report; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is an email abuse report for a message received by simulator.test.',
    '',
    `--${boundary}`,
    'Content-Type: message/feedback-report',
    '',
    'Feedback-Type: abuse',
    'User-Agent: SendtrailSimulator/1.0',
    'Version: 1',
    `Original-Mail-From: <${m.mailFrom}>`,
    `Original-Rcpt-To: <${m.recipient}>`,
    `Arrival-Date: ${m.acceptedAt.toUTCString()}`,
    `Reported-Domain: ${m.recipient.split('@')[1]}`,
    '',
    ...returnedHeadersPart(boundary, m.raw),
  ]);
}

/** An out-of-office notice, marked as RFC 3834 section 5 asks, sent to the return path (section 4). */
export function buildAutoReply(m: Original): string {
  return crlf([
    `From: <${m.recipient}>`,
    `To: ${m.mailFrom}`,
    `Subject: Out of office: ${field(m.raw, 'Subject') ?? ''}`,
    `Date: ${date()}`,
    `Message-ID: ${messageId()}`,
    ...(field(m.raw, 'Message-ID') ? [`In-Reply-To: ${field(m.raw, 'Message-ID')}`, `References: ${field(m.raw, 'Message-ID')}`] : []),
    'Auto-Submitted: auto-replied',
    'Precedence: auto_reply',
    'Content-Type: text/plain; charset=utf-8',
    '',
    'I am out of the office until next Monday with limited access to email.',
    '',
  ]);
}

/** A person's reply: new text above the quoted original, threaded by In-Reply-To and References. */
export function buildHumanReply(m: Original, to: string, newText: string): string {
  const original = field(m.raw, 'Message-ID');
  const quoted = bodyText(m.raw).split(/\r?\n/).slice(0, 20).map((l) => `> ${l}`);
  return crlf([
    `From: Simulated Reader <${m.recipient}>`,
    `To: ${to}`,
    `Subject: Re: ${field(m.raw, 'Subject') ?? ''}`,
    `Date: ${date()}`,
    `Message-ID: ${messageId()}`,
    ...(original ? [`In-Reply-To: ${original}`, `References: ${original}`] : []),
    'Content-Type: text/plain; charset=utf-8',
    '',
    newText,
    '',
    `On ${m.acceptedAt.toUTCString()}, ${field(m.raw, 'From') ?? 'you'} wrote:`,
    ...quoted,
    '',
  ]);
}

/** Where a person's reply goes: Reply-To, else From (RFC 5322 section 3.6.2). */
export function replyAddressOf(m: Original): string {
  const header = field(m.raw, 'Reply-To') ?? field(m.raw, 'From') ?? '';
  return /<([^>]+)>/.exec(header)?.[1] ?? header;
}

function bodyText(raw: Buffer): string {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const body = end < 0 ? '' : text.slice(end).trim();
  // A multipart original: quote its first text part only, like a mail client showing it.
  const plain = /Content-Type: text\/plain[^\r\n]*\r?\n(?:[^\r\n]+\r?\n)*\r?\n([\s\S]*?)\r?\n--/i.exec(body);
  return (plain?.[1] ?? body).trim();
}

/** Delivers a message to the inbound server, as the recipient's mail system would. */
export async function sendToInbound(inboundSmtpUrl: string | undefined, envelope: { from: string; to: string }, raw: string): Promise<void> {
  if (!inboundSmtpUrl) throw new Error('no inbound SMTP server to send returned mail to (world.inboundSmtpUrl)');
  const transport = nodemailer.createTransport(inboundSmtpUrl);
  try {
    await transport.sendMail({ envelope: { from: envelope.from, to: [envelope.to] }, raw });
  } finally {
    transport.close();
  }
}

/** The closing part of a DSN or ARF report: the original's headers (RET=HDRS), then the end boundary. */
function returnedHeadersPart(boundary: string, raw: Buffer): string[] {
  return [`--${boundary}`, 'Content-Type: text/rfc822-headers', '', headerBlock(raw), '', `--${boundary}--`, ''];
}
