// What the benchmark sends: one campaign body for Sendtrail and, for the ceiling, the same messages
// built in advance the way Sendtrail's worker would build them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import { buildMessage, type CampaignContent } from '../../src/delivery/build-message.ts';
import type { ClaimedEmail } from '../../src/delivery/queue.repository.ts';
import { returnPathFor } from '../../src/bounces/index.ts';
import type { TrackingSettings } from '../../src/tracking/index.ts';

export const FROM = 'Sendtrail Bench <bench@example.com>';
export const FROM_DOMAIN = 'example.com';
// BOUNCE_DOMAIN's default, which the benchmark's Sendtrail runs with.
const BOUNCE_DOMAIN = 'bounces.sendtrail.localhost';
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
 * The messages of the ceiling: what Sendtrail's worker sends for each email of the campaign, built
 * by its own buildMessage() with tracking on as by default (open pixel, List-Unsubscribe headers),
 * its VERP return path and Message-ID, before the clock starts. nodemailer still composes the MIME
 * of each, as it does inside Sendtrail's SMTP transport, so both sides send the same bytes.
 */
export function prebuiltMessages(count: number, recipientOf: (i: number) => string): SendMailOptions[] {
  const campaignId = randomUUID();
  const projectId = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  // PUBLIC_URL's default in the benchmark's Sendtrail is http://localhost:<port>: the same length.
  const tracking: TrackingSettings = { publicUrl: 'http://localhost:40000', signingKey: secret, bounceDomain: BOUNCE_DOMAIN, honeypot: true };
  const campaign: CampaignContent = { from_address: FROM, reply_to: null, subject: SUBJECT, html: HTML, text: null, headers: null };
  const messages = new Array<SendMailOptions>(count);
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    const now = new Date();
    // A claimed campaign email as the queue hands it to the worker.
    const email: ClaimedEmail = {
      id,
      project_id: projectId,
      campaign_id: campaignId,
      from_address: FROM,
      to_address: recipientOf(i),
      cc: null,
      bcc: null,
      reply_to: null,
      subject: null,
      html: null,
      text: null,
      headers: null,
      tags: null,
      metadata: null,
      data: { first: `User${i}` },
      track_opens: true,
      track_clicks: true,
      status: 'queued',
      priority: 1,
      scheduled_at: null,
      next_attempt_at: now,
      locked_by: 'bench',
      locked_until: now,
      attempts: 1,
      first_attempt_at: now,
      message_id: `<${id}@${FROM_DOMAIN}>`,
      transport: null,
      created_at: now,
      updated_at: now,
      suppressed_reason: null,
      content_removed_at: null,
    };
    const built = buildMessage(email, campaign, returnPathFor(id, secret, BOUNCE_DOMAIN), tracking);
    messages[i] = { ...built.mail, envelope: built.envelope };
  }
  return messages;
}
