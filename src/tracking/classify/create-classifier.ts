// classifyHit: a pure function of a hit and its email's history that says whether a person made it.
import type { Classification, ClassifyHit, EmailHistory, Hit, Verdict } from '../hit.ts';
import { burstStart, foldBack, honeypotFoldBack } from './burst.ts';
import { gatewayTaint } from './gateway-taint.ts';
import { HONEYPOT_WINDOW_MS } from './honeypot.ts';
import { rescan, rescanFoldBack } from './rescan.ts';
import * as r from './rules.ts';
import { loadSignatures, matchUserAgent, type Signatures } from './signatures.ts';

export type RuleSet = 'design' | 'full';

/** Why a back-filled open no longer counts once the person's real open arrived. */
export const BACKFILL_REPLACED = 'backfill_replaced';

export const DEFAULT_OPTIONS: r.ClassifierOptions = {
  prefetchWindowMs: 5_000, // a hit within a few seconds of sending is a prefetch
  coalesceWindowMs: 60_000, // repeats within a minute of the last counted one are one
  burstMinLinks: 3,
  burstWindowMs: 10_000,
  burstMinIps: 3, // S8: ">= 3 distinct IPs on one message within 30 s"
  burstIpWindowMs: 30_000,
  honeypotWindowMs: HONEYPOT_WINDOW_MS,
  // Re-scans come "tens of seconds to minutes after delivery" (I13) and again at click time (I29),
  // which can be hours later; a day covers them without following the address for ever.
  taintWindowMs: 86_400_000,
};

/**
 * The base counting rules alone (HEAD, MPP, proxy clicks, scanner UAs, 5 s from sending, 60 s
 * coalescing), kept to measure what the other rules add (npm run bench:classifier).
 */
const DESIGN_RULES: r.Rule[] = [
  r.headRequest, r.appleMppPlain, r.mailboxProxyClick, r.scannerUserAgent, r.prefetchWindowFromSend, r.coalesced,
];

/** Identified machines first (their `why` names them), then what only timing gives away. */
const FULL_RULES: r.Rule[] = [
  r.headRequest, r.honeypotLink, r.prefetchHeader, r.appleMpp, r.mailboxProxyClick, r.scannerUserAgent,
  r.gatewayNetwork, r.nearHoneypot, r.prefetchWindow,
  { name: 'burst', check: (c) => (burstStart(c) !== undefined ? { counted: false, why: 'burst' } : undefined) },
  gatewayTaint,
  rescan,
  r.coalesced,
];

export type ClassifierSetup = { signatures?: Signatures; options?: Partial<r.ClassifierOptions>; rules?: RuleSet };

export function createClassifier(setup: ClassifierSetup = {}): ClassifyHit {
  const sigs = setup.signatures ?? loadSignatures();
  const opts = { ...DEFAULT_OPTIONS, ...setup.options };
  const full = setup.rules !== 'design';
  const rules = full ? FULL_RULES : DESIGN_RULES;

  return (hit: Hit, history: EmailHistory): Classification => {
    const c: r.RuleContext = { hit, history, sigs, opts, ua: matchUserAgent(sigs, hit.ua) };
    let verdict: Verdict = { counted: true };
    for (const rule of rules) {
      const v = rule.check(c);
      if (v) {
        verdict = v;
        break;
      }
    }
    const revised = full ? revisions(c, verdict) : [];
    const backfillOpen = verdict.counted && hit.kind === 'click' && !history.hits.some((h) => h.kind === 'open' && h.counted);
    return {
      verdict,
      ...(backfillOpen ? { backfillOpen: true } : {}),
      ...(revised.length > 0 ? { revised } : {}),
    };
  };
}

/** What a honeypot click, a burst or a person's real open changes in the email's earlier hits. */
function revisions(c: r.RuleContext, verdict: Verdict): Array<{ index: number; verdict: Verdict }> {
  if (verdict.counted) return c.hit.kind === 'open' ? replacedBackfills(c.history) : [];
  if (verdict.why === 'honeypot') return honeypotFoldBack(c);
  if (verdict.why === 'rescan') return rescanFoldBack(c);
  if (verdict.why !== 'burst') return [];
  const start = burstStart(c);
  return start === undefined ? [] : foldBack(c.history, c.sigs, start, c.hit.at.getTime(), 'burst');
}

/**
 * A back-filled open stands for an open we could not see (images blocked, I17). When the person
 * later loads the images, that real open replaces it rather than adding to it: one open, not two.
 * The opener still dates from the back-fill (counting-policy.ts), since they had the email open to click.
 */
function replacedBackfills(history: EmailHistory): Array<{ index: number; verdict: Verdict }> {
  const out: Array<{ index: number; verdict: Verdict }> = [];
  history.hits.forEach((h, index) => {
    if (h.kind === 'open' && h.backfilled && h.counted) out.push({ index, verdict: { counted: false, why: BACKFILL_REPLACED } });
  });
  return out;
}

/** The live classifier, with the built-in signature lists and the default windows. */
export const classifyHit: ClassifyHit = createClassifier();
