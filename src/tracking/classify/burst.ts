// Scans seen as a whole: many links of one email, or many addresses, within seconds; and what they fold back.
import type { EmailHistory, Hit, Verdict } from '../hit.ts';
import { isHoneypotLink } from './honeypot.ts';
import { linkKey, type RuleContext } from './rules.ts';
import { matchUserAgent, type Signatures } from './signatures.ts';

const ms = (d: Date) => d.getTime();

/** Verdicts that already name the machine: such hits are explained and do not make a burst of addresses. */
const EXPLAINED = new Set(['apple_mpp', 'proxy_prefetch', 'scanner', 'head_request', 'network', 'prefetch_header', 'honeypot']);

/** A person's open relayed by Gmail or Yahoo is theirs even inside a scan's window: proxies count on the pixel. */
function isMailboxProxyOpen(sigs: Signatures, h: Hit): boolean {
  return h.kind === 'open' && matchUserAgent(sigs, h.ua)?.kind === 'mailbox_proxy';
}

/**
 * When the hit completes a burst, the start of the burst's window. A person cannot follow three
 * different links of one email within seconds; gateways fetch them all "within a few milliseconds of
 * each other" (I13) or about one a second (I7), often from several datacenter addresses (S8).
 */
export function burstStart({ hit, history, sigs, opts }: RuleContext): number | undefined {
  const at = ms(hit.at);
  if (hit.kind === 'click') {
    const since = at - opts.burstWindowMs;
    const links = new Set([linkKey(hit)]);
    for (const h of history.hits) if (h.kind === 'click' && !h.backfilled && ms(h.at) >= since) links.add(linkKey(h));
    if (links.size >= opts.burstMinLinks) return since;
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
