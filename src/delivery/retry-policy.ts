// When to try again after a temporary failure, and when to give up (bounced soft, reason "expired").
export type RetryPolicy = { baseMs: number; maxDelayMs: number; lifetimeMs: number };

/** Exponential backoff with +-10% jitter so a burst of deferrals does not retry in lockstep. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, random = Math.random): number {
  const exp = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.maxDelayMs);
  return Math.round(exp * (0.9 + 0.2 * random()));
}

export type RetryDecision = { kind: 'retry'; at: Date } | { kind: 'expired' };

export function decideRetry(policy: RetryPolicy, attempt: number, firstAttemptAt: Date, now: Date): RetryDecision {
  const at = new Date(now.getTime() + retryDelayMs(policy, attempt));
  if (at.getTime() - firstAttemptAt.getTime() > policy.lifetimeMs) return { kind: 'expired' };
  return { kind: 'retry', at };
}

/** For transports that never defer. */
export const retryPolicyNever: RetryPolicy = { baseMs: 1000, maxDelayMs: 1000, lifetimeMs: 0 };
