// Tracking added at send time: pixel, rewritten links and, on campaign mail, the RFC 8058
// List-Unsubscribe headers. Pure and with serializable inputs, so it can run in a worker thread.
import { MAX_TRACKED_URL_BYTES, signToken } from './tracking-token.ts';
import { rewriteHtml, UNSUBSCRIBE_PLACEHOLDER } from './rewrite-html.ts';
import { HONEYPOT_URL_MARKER } from './classify/honeypot.ts';

/** Installation-wide settings: where recipients reach the tracking endpoints, and the signing key. */
export type TrackingSettings = {
  /** PUBLIC_URL without a trailing slash. */
  publicUrl: string;
  /** The first of TRACKING_KEYS. */
  signingKey: string;
  bounceDomain: string;
  /** Add a hidden honeypot link to HTML with tracked links (TRACKING_HONEYPOT). */
  honeypot?: boolean;
};

export type TrackedContent = {
  emailId: string;
  html?: string;
  text?: string;
  trackOpens: boolean;
  trackClicks: boolean;
  /** Campaign mail carries List-Unsubscribe; transactional mail (receipts, resets) does not. */
  isCampaign: boolean;
};

export type TrackingResult = { html?: string; text?: string; headers: Record<string, string> };

export const pixelPath = (token: string) => `/t/o/${token}`;
export const clickPath = (token: string) => `/t/c/${token}`;
export const unsubscribePath = (token: string) => `/u/${token}`;

export function addTracking(content: TrackedContent, settings: TrackingSettings): TrackingResult {
  const { emailId } = content;
  const base = settings.publicUrl;
  const unsubscribeToken = signToken(settings.signingKey, { kind: 'unsubscribe', emailId });
  const unsubscribeUrl = `${base}${unsubscribePath(unsubscribeToken)}`;
  const headers: Record<string, string> = {};
  if (content.isCampaign) {
    // RFC 8058 section 3.1: an https URI for the one-click POST, plus a mailto for clients without it (RFC 2369).
    headers['List-Unsubscribe'] = `<${unsubscribeUrl}>, <mailto:unsubscribe+${unsubscribeToken}@${settings.bounceDomain}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  const click = (url: string, linkIndex: number) =>
    `${base}${clickPath(signToken(settings.signingKey, { kind: 'click', emailId, linkIndex, url }))}`;
  const html = content.html === undefined
    ? undefined
    : rewriteHtml(content.html, {
        trackClicks: content.trackClicks,
        pixelUrl: content.trackOpens ? `${base}${pixelPath(signToken(settings.signingKey, { kind: 'open', emailId }))}` : undefined,
        clickUrl: (url, linkIndex) => (Buffer.byteLength(url) > MAX_TRACKED_URL_BYTES ? url : click(url, linkIndex)),
        // Its destination names the marker the classifier looks for; following it lands on our own host.
        honeypotUrl: settings.honeypot ? (linkIndex) => click(`${base}/#${HONEYPOT_URL_MARKER}`, linkIndex) : undefined,
        untrackedPrefixes: [`${base}/u/`, `${base}/t/`],
        unsubscribeUrl,
      });
  // Plain text keeps readable URLs (people copy them); only the unsubscribe placeholder is filled.
  const text = content.text?.replace(UNSUBSCRIBE_PLACEHOLDER, unsubscribeUrl);
  return { html, text, headers };
}
