// An email as it was sent, read back for people (the dashboard's Content, Headers and Raw tabs):
// rendered by the same buildMessage the worker runs, so templates, rewritten links and headers are
// the ones the recipient got. The send path keeps no copy of each message (only captured mail is
// stored, by the capture transport): rendering again is deterministic but for what composing draws
// at send time (Date, MIME boundaries, a DKIM signature), which a rebuilt message fills in from the
// email's own row and leaves unsigned.
import { Parser } from 'htmlparser2';
import type { Selectable } from 'kysely';
import type { EmailsTable } from '../store/database.ts';
import { clickPath, verifyToken, type TrackingSettings } from '../tracking/index.ts';
import { buildMessage, type CampaignContent } from './build-message.ts';
import { composeMessage } from './mime/compose-message.ts';

export type SentEmail = Selectable<EmailsTable>;
/** `hidden`: the honeypot link only machines follow (TRACKING_HONEYPOT). */
export type SentLink = { index: number; url: string; tracked_url: string; hidden: boolean };
export type SentContent = {
  subject: string;
  from: string;
  to: string;
  cc: string[];
  reply_to: string[];
  html: string | null;
  text: string | null;
  /** The open pixel the sent html carried, left out here so that looking at it records no open. */
  trackingPixelRemoved: boolean;
  /** Each click-tracked link: where it leads, and the tracking URL the recipient's copy holds. */
  links: SentLink[];
};

export function renderSentContent(email: SentEmail, campaign: CampaignContent | undefined, tracking: TrackingSettings | undefined): SentContent {
  // The pixel is added last and numbers no link: without it, the html is the sent one minus the pixel.
  const { mail } = buildMessage({ ...email, track_opens: false, suppressed_reason: null }, campaign, '', tracking);
  const html = typeof mail.html === 'string' ? mail.html : null;
  return {
    subject: String(mail.subject ?? ''),
    from: email.from_address,
    to: email.to_address,
    cc: email.cc ?? [],
    reply_to: [mail.replyTo ?? []].flat().map(String),
    html,
    text: typeof mail.text === 'string' ? mail.text : null,
    trackingPixelRemoved: html !== null && tracking !== undefined && email.track_opens,
    links: html !== null && tracking ? trackedLinks(html, tracking) : [],
  };
}

/** The RFC 822 message as the worker composed it, rebuilt from the stored row (no DKIM signature). */
export async function rebuildRawMessage(email: SentEmail, campaign: CampaignContent | undefined, tracking: TrackingSettings | undefined): Promise<string> {
  const message = buildMessage({ ...email, suppressed_reason: null }, campaign, '', tracking);
  const sentAt = email.first_attempt_at ?? email.created_at;
  // The boundary drawn at random at send time: one derived from the id keeps a rebuild stable.
  const baseBoundary = email.id.replaceAll('-', '');
  const { raw } = await composeMessage({ ...message.mail, date: sentAt, baseBoundary } as typeof message.mail);
  return raw.toString('utf8');
}

export type HeaderLine = { name: string; value: string };

/** The header section of a message, unfolded (RFC 5322 section 2.2.3), in order. */
export function headerLines(raw: string): HeaderLine[] {
  const end = raw.search(/\r?\n\r?\n/);
  const block = end === -1 ? raw : raw.slice(0, end);
  const out: HeaderLine[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && out.length > 0) out[out.length - 1]!.value += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      if (colon > 0) out.push({ name: line.slice(0, colon), value: line.slice(colon + 1).trim() });
    }
  }
  return out;
}

function trackedLinks(html: string, tracking: TrackingSettings): SentLink[] {
  const prefix = `${tracking.publicUrl}${clickPath('')}`;
  const links: SentLink[] = [];
  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const href = attribs.href;
        if ((name !== 'a' && name !== 'area') || !href?.startsWith(prefix)) return;
        const payload = verifyToken([tracking.signingKey], href.slice(prefix.length));
        if (payload?.kind === 'click') links.push({ index: payload.linkIndex, url: payload.url, tracked_url: href, hidden: payload.url.startsWith(`${tracking.publicUrl}/#`) });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return links;
}
