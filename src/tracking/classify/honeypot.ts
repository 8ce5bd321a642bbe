// The hidden honeypot link: no person can see or click it, so whatever follows it is a machine (I7: mautic/mautic#9798).

/**
 * A link whose destination carries this marker (anywhere in the URL, e.g. as the fragment
 * `https://example.com/#sendtrail-honeypot`) is the honeypot. The rewriter may add one such link,
 * hidden (`display:none`, no text), to each HTML email; the classifier discards every click within
 * HONEYPOT_WINDOW_MS around a click on it.
 */
export const HONEYPOT_URL_MARKER = 'sendtrail-honeypot';

/** Alternatively a click token may carry this link index for the honeypot (real links are 0-based). */
export const HONEYPOT_LINK_INDEX = -1;

/** "drop all clicks ±10 s around a hidden-link click" (I7: each scanner click takes about one second). */
export const HONEYPOT_WINDOW_MS = 10_000;

export function isHoneypotLink(url: string | undefined, linkIndex?: number): boolean {
  return linkIndex === HONEYPOT_LINK_INDEX || (url !== undefined && url.includes(HONEYPOT_URL_MARKER));
}
