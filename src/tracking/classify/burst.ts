// Scans seen as a whole: many links of one email, or many addresses, within seconds; and what they fold back.
import type { EmailHistory, Hit, Verdict } from '../hit.ts';
import { isHoneypotLink } from './honeypot.ts';
import { personReadBefore } from './rescan.ts';
import { linkKey, type RuleContext } from './rules.ts';
import { matchUserAgent, type Signatures } from './signatures.ts';

const ms = (d: Date) => d.getTime();

/** Verdicts that already name the machine: such hits are explained and do not make a burst of addresses. */
const EXPLAINED = new Set(['apple_mpp', 'proxy_prefetch', 'scanner', 'head_request', 'network', 'prefetch_header', 'honeypot', 'rescan']);

/**
 * Two different links pressed this close together are not a person's: each is a separate press,
 * and a gateway fetches the next link within milliseconds (I13) or about one a second (I7).
 */
export const PERSON_LINK_GAP_MS = 1_000;

/**
 * A person opening links in tabs moves on more slowly than a scanner's "about one click a second"
 * (I7): half as much again keeps that scanner's pace out.
 */
export const TABS_LINK_GAP_MS = 1_500;

/** A person's open relayed by Gmail or Yahoo is theirs even inside a scan's window: proxies count on the pixel. */
function isMailboxProxyOpen(sigs: Signatures, h: Hit): boolean {
  return h.kind === 'open' && matchUserAgent(sigs, h.ua)?.kind === 'mailbox_proxy';
}

/**
 * When the hit completes a burst, the start of the burst's window. A person cannot follow three
 * different links of one email within seconds, unless they read it and open the links in tabs
 * (isPersonInTabs), nor two within a second; gateways fetch them all "within a few milliseconds of
 * each other" (I13) or about one a second (I7), often from several datacenter addresses (S8).
 */
export function burstStart({ hit, history, sigs, opts }: RuleContext): number | undefined {
  const at = ms(hit.at);
  if (hit.kind === 'click') {
    const since = at - opts.burstWindowMs;
    const links = new Set([linkKey(hit)]);
    const window = history.hits.filter((h) => h.kind === 'click' && !h.backfilled && ms(h.at) >= since);
    for (const h of window) links.add(linkKey(h));
    if (links.size >= opts.burstMinLinks && !isPersonInTabs(hit, window, history, sigs)) return since;
    // Two different links within a second from one browser: no person presses that fast (I13).
    const pressedWith = window.findLast((h) => h.ua === hit.ua && linkKey(h) !== linkKey(hit));
    if (pressedWith && at - ms(pressedWith.at) < PERSON_LINK_GAP_MS) return ms(pressedWith.at);
  }
  const since = at - opts.burstIpWindowMs;
  const ips = new Set([hit.ip]);
  for (const h of history.hits) {
    if (h.backfilled || ms(h.at) < since || (h.why && EXPLAINED.has(h.why)) || isMailboxProxyOpen(sigs, h)) continue;
    ips.add(h.ip);
  }
  return ips.size >= opts.burstMinIps ? since : undefined;
}

/**
 * A person opening several links in tabs within seconds, not a scan: one address and one browser,
 * more than a scanner's "about one click a second" (I7) between links, and the person read the email
 * first (a counted open more than a pass's gap before the first of these clicks: a person reads, then
 * chooses links). A gateway's pass shows at least one of what this excludes: several addresses (S8),
 * links milliseconds apart (I13), no reading before it. Without a prior open (images blocked, Apple
 * MPP) three links within seconds stay a burst: nothing then tells that person from a slow scan.
 */
function isPersonInTabs(hit: Hit, window: readonly Hit[], history: EmailHistory, sigs: Signatures): boolean {
  const clicks = [...window, hit];
  if (clicks.some((h) => h.ip !== hit.ip || h.ua !== hit.ua)) return false;
  for (let i = 1; i < clicks.length; i++) {
    const gap = ms(clicks[i]!.at) - ms(clicks[i - 1]!.at);
    if (linkKey(clicks[i]!) !== linkKey(clicks[i - 1]!) && gap < TABS_LINK_GAP_MS) return false;
  }
  return personReadBefore(history, sigs, ms(clicks[0]!.at));
}

/**
 * Earlier counted hits inside [from, to] become uncounted with `why`: the clicks and pixel loads of
 * the scan, and the opens back-filled from its clicks (I13: "each burst also created a click-inferred open").
 */
export function foldBack(history: EmailHistory, sigs: Signatures, from: number, to: number, why: string): Array<{ index: number; verdict: Verdict }> {
  const revised: Array<{ index: number; verdict: Verdict }> = [];
  history.hits.forEach((h, index) => {
    const t = ms(h.at);
    if (!h.counted || t < from || t > to || isMailboxProxyOpen(sigs, h)) return;
    revised.push({ index, verdict: { counted: false, why } });
  });
  return revised;
}

/** The honeypot's window reaches back as well as forward (I7: "±10 s"). */
export function honeypotFoldBack(c: RuleContext): Array<{ index: number; verdict: Verdict }> {
  if (!(c.hit.kind === 'click' && isHoneypotLink(c.hit.url, c.hit.linkIndex))) return [];
  const at = ms(c.hit.at);
  return foldBack(c.history, c.sigs, at - c.opts.honeypotWindowMs, at, 'honeypot');
}
