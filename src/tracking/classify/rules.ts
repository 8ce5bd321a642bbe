// The counting rules as named steps: the base ones, then those that catch what they miss.
// Source ids (S1, I7 ...) are listed under Sources in docs/tracking-classifier.md.
import type { EmailHistory, Hit, Verdict } from '../hit.ts';
import { isHoneypotLink } from './honeypot.ts';
import { ipIn, matchUserAgent, type Signatures, type UaSignature } from './signatures.ts';

export type ClassifierOptions = {
  /** A hit this soon after sending (or delivery, when known) is a prefetch or a gateway scan. */
  prefetchWindowMs: number;
  /** A repeat open, or a repeat click on the same link, this soon after the last counted one. */
  coalesceWindowMs: number;
  /** Clicks on this many distinct links of one email within burstWindowMs are a scan (I7, I13). */
  burstMinLinks: number;
  burstWindowMs: number;
  /** This many distinct unexplained IPs on one email within burstIpWindowMs are a scan (S8). */
  burstMinIps: number;
  burstIpWindowMs: number;
  honeypotWindowMs: number;
  /** How long an address and UA caught scanning an email stay a machine on it (gateway-taint.ts). */
  taintWindowMs: number;
};

export type RuleContext = {
  hit: Hit;
  history: EmailHistory;
  sigs: Signatures;
  /** The hit's user-agent signature, when one matches. */
  ua: UaSignature | undefined;
  opts: ClassifierOptions;
};

export type Rule = { name: string; check: (c: RuleContext) => Verdict | undefined };

const no = (why: string): Verdict => ({ counted: false, why });
const BARE_UA = 'Mozilla/5.0';
const isBare = (ua: string) => ua.trim() === BARE_UA;
const ms = (d: Date) => d.getTime();

/** A link's identity within its email: its index when the token carries one, else its destination. */
export const linkKey = (h: Pick<Hit, 'url' | 'linkIndex'>) => (h.linkIndex !== undefined ? `#${h.linkIndex}` : `u:${h.url ?? ''}`);

export const headRequest: Rule = {
  name: 'head_request', // RFC 9110 9.3.2: HEAD transfers no content; link checkers send it (I5, S34)
  check: ({ hit }) => (hit.method.toUpperCase() === 'HEAD' ? no('head_request') : undefined),
};

/** Base rule: bare `Mozilla/5.0` from an Apple relay address (S12). */
export const appleMppPlain: Rule = {
  name: 'apple_mpp',
  check: ({ hit, sigs }) => (hit.kind === 'open' && isBare(hit.ua) && ipIn(sigs.appleRelay, hit.ip) ? no('apple_mpp') : undefined),
};

/**
 * No browser sends a bare `Mozilla/5.0` (S1: isbot flags it), and the shipped relay list is a few
 * sample lines of Apple's long egress file (S15), so on the pixel the UA alone decides. An empty UA
 * from a relay address is MPP as well (S31); a bare UA on a click from a relay is Apple Mail's link check.
 */
export const appleMpp: Rule = {
  name: 'apple_mpp',
  check: ({ hit, sigs }) => {
    const fromRelay = ipIn(sigs.appleRelay, hit.ip);
    if (hit.kind === 'open' && (isBare(hit.ua) || (hit.ua.trim() === '' && fromRelay))) return no('apple_mpp');
    if (hit.kind === 'click' && isBare(hit.ua)) return no(fromRelay ? 'apple_mpp' : 'scanner');
    return undefined;
  },
};

/** Gmail and Yahoo relay a person's open on the pixel, but their fetch of a link is no click. */
export const mailboxProxyClick: Rule = {
  name: 'proxy_prefetch',
  check: ({ hit, ua }) => (hit.kind === 'click' && ua?.kind === 'mailbox_proxy' ? no('proxy_prefetch') : undefined),
};

export const scannerUserAgent: Rule = {
  name: 'scanner',
  check: ({ ua }) => (ua?.kind === 'scanner' ? no('scanner') : ua?.kind === 'proxy_prefetch' ? no('proxy_prefetch') : undefined),
};

/** Base rule: within a few seconds of sending. */
export const prefetchWindowFromSend: Rule = {
  name: 'prefetch_window',
  check: ({ hit, history, opts }) =>
    history.sentAt && ms(hit.at) - ms(history.sentAt) < opts.prefetchWindowMs ? no('prefetch_window') : undefined,
};

/**
 * Gateway scans follow delivery, which can be long after sending, so a window from sending misses them (S8).
 * A hit before the recorded delivery is judged from sending only: a delivery event can be recorded
 * late (a relay's success DSN, RFC 3464, arrives after the fact) while the person already reads.
 */
export const prefetchWindow: Rule = {
  name: 'prefetch_window',
  check: (c) => {
    const { hit, history, opts } = c;
    const sinceDelivery = history.deliveredAt ? ms(hit.at) - ms(history.deliveredAt) : -1;
    if (sinceDelivery >= 0 && sinceDelivery < opts.prefetchWindowMs) return no('prefetch_window');
    return prefetchWindowFromSend.check(c);
  },
};

/** `Sec-Purpose: prefetch` (Fetch spec) or the older `Purpose`/`X-Moz: prefetch` (S6): nobody looked yet. */
export const prefetchHeader: Rule = {
  name: 'prefetch_header',
  check: ({ hit }) => (hit.purpose && /prefetch|prerender|preview/i.test(hit.purpose) ? no('prefetch_header') : undefined),
};

/** Published gateway ranges (S4, S25, S30) scan pixel and links alike. */
export const gatewayNetwork: Rule = {
  name: 'network',
  check: ({ hit, sigs }) =>
    ipIn(sigs.gatewayAll, hit.ip) || (hit.kind === 'click' && ipIn(sigs.gatewayClicks, hit.ip)) ? no('network') : undefined,
};

export const honeypotLink: Rule = {
  name: 'honeypot',
  check: ({ hit }) => (hit.kind === 'click' && isHoneypotLink(hit.url, hit.linkIndex) ? no('honeypot') : undefined),
};

/** Every hit within the honeypot window after a honeypot click (I7). */
export const nearHoneypot: Rule = {
  name: 'honeypot',
  check: ({ hit, history, opts }) =>
    history.hits.some((h) => h.kind === 'click' && isHoneypotLink(h.url, h.linkIndex) && ms(hit.at) - ms(h.at) <= opts.honeypotWindowMs)
      ? no('honeypot')
      : undefined,
};

export const coalesced: Rule = {
  name: 'coalesced',
  check: ({ hit, history, opts }) => {
    const key = linkKey(hit);
    const last = history.hits.findLast((h) => h.counted && h.kind === hit.kind && (hit.kind === 'open' || linkKey(h) === key));
    return last && ms(hit.at) - ms(last.at) < opts.coalesceWindowMs ? no('coalesced') : undefined;
  },
};

export { matchUserAgent };
