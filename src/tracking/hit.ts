// A tracking hit as the endpoints see it, and the classifier's verdict on it.
// Shared by the endpoints, the recorder, the classifier and `sendtrail tracking replay`.

export type HitKind = 'open' | 'click';

export type Hit = {
  kind: HitKind;
  emailId: string;
  /** Clicks: the destination and the link's position in the email's HTML (0-based). */
  url?: string;
  linkIndex?: number;
  /** User agent as sent ('' when the request had none). */
  ua: string;
  /** Client IP, after the trusted-proxy rules. */
  ip: string;
  method: string;
  /** Value of a Sec-Purpose / Purpose / X-Moz header announcing a prefetch, when present. */
  purpose?: string;
  at: Date;
};

/**
 * Why a hit was not counted; more may be added as the classifier grows. `backfill_withdrawn` is
 * `tracking reclassify`'s, for a back-filled open no longer needed while its click still counts;
 * `backfill_replaced`, a back-filled open once the person's real open arrived; `gateway_taint`, a
 * hit from the address and UA of a scan caught earlier on the same email; `rescan`, a gateway's
 * pass over an email it scanned at delivery, minutes later and before anyone read it.
 */
export type WhyNotCounted =
  | 'apple_mpp' | 'proxy_prefetch' | 'scanner' | 'head_request' | 'prefetch_window' | 'coalesced' | 'network'
  | 'burst' | 'honeypot' | 'prefetch_header' | 'backfill_withdrawn' | 'backfill_replaced' | 'gateway_taint' | 'rescan' | (string & {});

export type Verdict = { counted: boolean; why?: WhyNotCounted };

/** What the classifier knows about one email: when it left and arrived, and its earlier hits, oldest first. */
export type EmailHistory = {
  sentAt?: Date;
  deliveredAt?: Date;
  hits: Array<Hit & Verdict & { backfilled?: boolean }>;
};

export type Classification = {
  verdict: Verdict;
  /** An open inferred from this counted click when the email has no counted open (backfilled: true). */
  backfillOpen?: boolean;
  /** Earlier hits (indexes into history.hits) whose verdict changes now, e.g. when a burst is seen. */
  revised?: Array<{ index: number; verdict: Verdict }>;
};

/** The classifier: a pure function of the hit and its email's history, so stored hits can be re-classified. */
export type ClassifyHit = (hit: Hit, history: EmailHistory) => Classification;
