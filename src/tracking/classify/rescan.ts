// A gateway's re-scan, and a person's own clicks, told apart by what a person does first: read the email.
// Source ids (S8, I7, I13 ...) are listed under Sources in docs/tracking-classifier.md.
import type { EmailHistory, Hit, Verdict } from '../hit.ts';
import { linkKey, type Rule, type RuleContext } from './rules.ts';
import { matchUserAgent, type Signatures } from './signatures.ts';

const ms = (d: Date) => d.getTime();
type Seen = EmailHistory['hits'][number];

/**
 * How far apart one pass's fetches can be: "each click seems to take about one second" (I7), or
 * milliseconds (I13); three seconds leaves room. An open closer than this before a click is the
 * pass's own pixel fetch, not a person who read the email and then chose a link.
 */
export const PASS_GAP_MS = 3_000;

/**
 * How long after a gateway's scan at delivery it comes back: "6 s to several minutes after delivery"
 * (the notes' summary of S8, I13), "tens of seconds to minutes" (I13). Ten minutes is "several".
 */
export const RESCAN_WINDOW_MS = 600_000;

/** Verdicts that show a gateway scanning the email as it arrives (a click in the prefetch window included). */
const SCAN = new Set(['burst', 'honeypot', 'network']);
const isScan = (h: Seen) => !h.counted && !h.backfilled && h.why !== undefined && (SCAN.has(h.why) || (h.why === 'prefetch_window' && h.kind === 'click'));

/** When a gateway was first caught scanning this email, if it was. */
export function firstScanAt(history: EmailHistory): number | undefined {
  return history.hits.find(isScan)?.at.getTime();
}

const isProxyOpen = (sigs: Signatures, h: Pick<Hit, 'kind' | 'ua'>) => h.kind === 'open' && matchUserAgent(sigs, h.ua)?.kind === 'mailbox_proxy';

/**
 * Whether a person's own open precedes `at`: a counted pixel load (not one inferred from a click)
 * more than one pass's gap earlier, or any open a mailbox proxy relayed (it relays a person, S10, S16).
 */
export function personReadBefore(history: EmailHistory, sigs: Signatures, at: number): boolean {
  return history.hits.some((h) => h.kind === 'open' && h.counted && !h.backfilled && ms(h.at) <= at && (at - ms(h.at) > PASS_GAP_MS || isProxyOpen(sigs, h)));
}

/**
 * A gateway comes back to an email it scanned at delivery, seconds to minutes later, often from
 * another of its addresses and with another browser UA (Proofpoint, Mimecast, Cisco publish no
 * ranges, S4, S5; EOP re-scans from Microsoft addresses outside its published ones, I4, I8, I13), so
 * neither the network list nor gateway taint knows it. What it does not do is what a person does
 * first: read the email. So on an email a gateway was caught scanning, a click within
 * RESCAN_WINDOW_MS of that scan with no open of a person before it is the gateway again. The cost: a
 * person behind that gateway who clicks within minutes of delivery with images blocked, or whose
 * open fell inside the prefetch window (the accepted trade-off), loses that click.
 */
export const rescan: Rule = {
  name: 'rescan',
  check: ({ hit, history, sigs }) => {
    if (hit.kind !== 'click') return undefined;
    const scan = firstScanAt(history);
    const at = ms(hit.at);
    if (scan === undefined || at - scan > RESCAN_WINDOW_MS || personReadBefore(history, sigs, at)) return undefined;
    return partOfPass(hit, history) ? { counted: false, why: 'rescan' } : undefined;
  },
};

/**
 * A pass fetches the pixel and the links one after another with one user agent: the click has such
 * a fetch of the pixel or of another link within PASS_GAP_MS before it. A person's single click does
 * not, nor their second press on the same link.
 */
function partOfPass(hit: Hit, history: EmailHistory): boolean {
  const at = ms(hit.at);
  const key = linkKey(hit);
  return history.hits.some((h) => !h.backfilled && h.ua === hit.ua && at - ms(h.at) <= PASS_GAP_MS && at >= ms(h.at) && (h.kind === 'open' || linkKey(h) !== key));
}

/**
 * The pass a re-scan click belongs to: the counted hits with its user agent just before it, each
 * within PASS_GAP_MS of the next (the pixel a pass fetched before the links, I7: "including the
 * pixel"; its first click, and the open back-filled from that click, I13).
 */
export function rescanFoldBack(c: RuleContext): Array<{ index: number; verdict: Verdict }> {
  const out: Array<{ index: number; verdict: Verdict }> = [];
  let edge = ms(c.hit.at);
  for (let i = c.history.hits.length - 1; i >= 0; i--) {
    const h = c.history.hits[i]!;
    if (edge - ms(h.at) > PASS_GAP_MS) break;
    if (h.ua !== c.hit.ua) continue; // an open back-filled from the pass's first click has its UA and goes with it
    edge = ms(h.at);
    if (h.counted && !isProxyOpen(c.sigs, h)) out.push({ index: i, verdict: { counted: false, why: 'rescan' } });
  }
  return out;
}
