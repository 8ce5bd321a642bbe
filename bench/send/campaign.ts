// What the benchmark sends: one campaign body for Sendtrail and, for the ceiling, the same messages
// built in advance the way Sendtrail's worker would build them.
import { randomUUID } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';

export const FROM = 'Sendtrail Bench <bench@example.com>';
export const FROM_DOMAIN = 'example.com';
export const SUBJECT = 'Your weekly Sendtrail digest';
export const RECIPIENT = 'user{i}@example.org';
export const recipient = (i: number) => RECIPIENT.replace('{i}', String(i));

// About 600 bytes of HTML, a typical short notification; the placeholder is rendered per recipient.
const HTML = `<!doctype html><html><body style="font-family:sans-serif">
<h1>Hello {{data.first}},</h1>
<p>This is the Sendtrail send benchmark. Every recipient of this campaign gets their own copy of
this message, rendered from the campaign template with their own data, and relayed through a
pooled SMTP connection to a local sink that accepts everything.</p>
<p>Nothing in this message is tracked yet, and nothing here needs an answer. If you are reading it
in a real mailbox, something has gone wrong with the benchmark's relay configuration.</p>
<p>Thanks,<br>The Sendtrail team</p>
</body></html>`;

export type CampaignBody = {
  name: string;
  from: string;
  subject: string;
  html: string;
  recipients: Array<{ email: string; data: { first: string } }>;
};

export function campaignBody(count: number, name: string): CampaignBody {
  const recipients = new Array<CampaignBody['recipients'][number]>(count);
  for (let i = 0; i < count; i++) recipients[i] = { email: recipient(i), data: { first: `User${i}` } };
  return { name, from: FROM, subject: SUBJECT, html: HTML, recipients };
}

/**
 * The messages of the ceiling: what buildMessage() produces for a campaign email (same headers,
 * rendered body, a VERP-length return path), built before the clock starts. nodemailer still
 * composes the MIME of each, as it does inside Sendtrail's SMTP transport.
 */
export function prebuiltMessages(count: number, recipientOf: (i: number) => string): SendMailOptions[] {
  const campaignId = randomUUID();
  const messages = new Array<SendMailOptions>(count);
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    messages[i] = {
      from: FROM,
      to: recipientOf(i),
      subject: SUBJECT,
      html: HTML.replace('{{data.first}}', `User${i}`),
      headers: { 'X-Sendtrail-ID': id, 'X-Sendtrail-Campaign': campaignId },
      messageId: `<${id}@example.com>`,
      envelope: { from: `b+${id.replaceAll('-', '')}.0123456789abcdef@bounces.sendtrail.localhost`, to: [recipientOf(i)] },
    };
  }
  return messages;
}
