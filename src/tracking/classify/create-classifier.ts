// classifyHit: a pure function of a hit and its email's history that says whether a person made it.
import type { Classification, ClassifyHit, EmailHistory, Hit, Verdict } from '../hit.ts';
import { burstStart, foldBack, honeypotFoldBack } from './burst.ts';
import { HONEYPOT_WINDOW_MS } from './honeypot.ts';
import * as r from './rules.ts';
import { loadSignatures, matchUserAgent, type Signatures } from './signatures.ts';

export type RuleSet = 'design' | 'full';

export const DEFAULT_OPTIONS: r.ClassifierOptions = {
  prefetchWindowMs: 5_000, // a hit within a few seconds of sending is a prefetch
  coalesceWindowMs: 60_000, // repeats within a minute of the last counted one are one
  burstMinLinks: 3,
  burstWindowMs: 10_000,
  burstMinIps: 3, // S8: ">= 3 distinct IPs on one message within 30 s"
  burstIpWindowMs: 30_000,
  honeypotWindowMs: HONEYPOT_WINDOW_MS,
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

/** What a honeypot click or a burst changes in the email's earlier hits. */
function revisions(c: r.RuleContext, verdict: Verdict): Array<{ index: number; verdict: Verdict }> {
  if (verdict.why === 'honeypot') return honeypotFoldBack(c);
  if (verdict.why !== 'burst') return [];
  const start = burstStart(c);
  return start === undefined ? [] : foldBack(c.history, c.sigs, start, c.hit.at.getTime(), 'burst');
}

/** The live classifier, with the built-in signature lists and the default windows. */
export const classifyHit: ClassifyHit = createClassifier();
