// Gateway taint: an address and user agent caught scanning an email stay a machine on that email.
import type { Hit, Verdict } from '../hit.ts';
import type { Rule } from './rules.ts';

/**
 * Verdicts that catch a scanner in the act: a burst over the email's links, the honeypot, a HEAD
 * request (link checkers, I5, S34), and a click within the prefetch window (nobody has read the
 * email yet, let alone clicked in it). An open within the prefetch window does not taint: a person
 * reading within seconds of delivery is the accepted trade-off of that window, and their later
 * clicks from the same browser must still count.
 */
const CAUGHT = new Set(['burst', 'honeypot', 'head_request', 'gateway_taint', 'rescan']);

const isCaught = (h: Hit & Verdict & { backfilled?: boolean }) =>
  !h.counted && !h.backfilled && h.why !== undefined && (CAUGHT.has(h.why) || (h.why === 'prefetch_window' && h.kind === 'click'));

/**
 * A security gateway scans from one address and user agent, at delivery and again seconds to
 * minutes later (Proofpoint, Mimecast, Cisco; Safe Links "at delivery AND at time of click", I29;
 * re-scans "tens of seconds to minutes after delivery", I13), each pass with an ordinary browser UA
 * that neither the UA list nor the prefetch window catches. Once a pass is caught, the same address
 * with the same UA on the same email within `taintWindowMs` is that gateway again. A mailbox proxy
 * (Gmail, Yahoo) relays people from shared addresses, so its opens are never tainted.
 */
export const gatewayTaint: Rule = {
  name: 'gateway_taint',
  check: ({ hit, history, opts, ua }) => {
    if (hit.kind === 'open' && ua?.kind === 'mailbox_proxy') return undefined;
    const at = hit.at.getTime();
    const tainted = history.hits.some((h) => h.ip === hit.ip && h.ua === hit.ua && at - h.at.getTime() <= opts.taintWindowMs && isCaught(h));
    return tainted ? { counted: false, why: 'gateway_taint' } : undefined;
  },
};
