// Renders a claimed email (and its campaign's content) into the message a transport sends.
import type { SendMailOptions } from 'nodemailer';
import { renderTemplate } from '../sending/index.ts';
import { addTracking, type TrackingSettings } from '../tracking/index.ts';
import type { ClaimedEmail } from './queue.repository.ts';
import type { OutgoingMessage } from './transports/transport.ts';

/** What a campaign contributes to each of its emails; transactional emails carry their own. */
export type CampaignContent = {
  from_address: string;
  reply_to: string | null;
  subject: string;
  html: string | null;
  text: string | null;
  headers: Record<string, string> | null;
};

export function buildMessage(
  email: ClaimedEmail,
  campaign: CampaignContent | undefined,
  returnPath: string,
  tracking?: TrackingSettings,
): OutgoingMessage {
  const vars = { email: email.to_address, data: email.data };
  const subject = email.subject ?? renderTemplate(campaign?.subject ?? '', vars, 'text');
  let html = email.html ?? (campaign?.html ? renderTemplate(campaign.html, vars, 'html') : undefined);
  let text = email.text ?? (campaign?.text ? renderTemplate(campaign.text, vars, 'text') : undefined);
  const replyTo = email.reply_to ?? (campaign?.reply_to ? [campaign.reply_to] : undefined);
  const headers: Record<string, string> = {
    ...(campaign?.headers ?? {}),
    ...(email.headers ?? {}),
    // Lets a bounce be matched to its email from the returned headers alone (RET=HDRS DSNs).
    'X-Sendtrail-ID': email.id,
  };
  if (email.campaign_id) headers['X-Sendtrail-Campaign'] = email.campaign_id;
  if (tracking) {
    const tracked = addTracking(
      { emailId: email.id, html, text, trackOpens: email.track_opens, trackClicks: email.track_clicks, isCampaign: email.campaign_id !== null },
      tracking,
    );
    ({ html, text } = tracked);
    Object.assign(headers, tracked.headers);
  }
  const mail: SendMailOptions = {
    from: email.from_address,
    to: email.to_address,
    cc: email.cc ?? undefined,
    replyTo: replyTo ?? undefined,
    subject,
    html: html ?? undefined,
    text: text ?? undefined,
    headers,
    messageId: email.message_id,
  };
  return {
    emailId: email.id,
    recipient: email.to_address,
    envelope: { from: returnPath, to: [email.to_address, ...stripNames(email.cc), ...(email.bcc ?? [])] },
    mail,
  };
}

// cc is stored formatted ("Name" <a@b.c>); the envelope needs bare addresses.
function stripNames(list: string[] | null): string[] {
  return (list ?? []).map((m) => /<([^>]+)>\s*$/.exec(m)?.[1] ?? m);
}
