// The reply forwarder: sends the pending forwards of human replies through the relay, one at a
// time, retrying a relay that is down or deferring with the backoff of outgoing mail, until the
// relay takes each one or refuses it for good. Runs in every inbound process; SKIP LOCKED claims
// keep them from sending one forward twice (except after a crash mid-send: at least once).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { startBackgroundTask } from '../../shared/background-task.ts';
import { decideRetry, type RetryPolicy } from '../../delivery/index.ts';
import { claimDueForwards, recordForward, releaseForwards, type DueForward } from './reply-forwards.repository.ts';
import type { ForwardOutcome } from './smtp-forward.ts';

export type ReplyForwarding = {
  /** A reply was just marked for forwarding: look now instead of at the next poll. */
  wake(): void;
  stop(): Promise<void>;
};

export type ReplyForwardingDeps = {
  db: Kysely<Database>;
  /** This process's id (processes.id): the holder named in the leases it takes. */
  holder: string;
  send(raw: Buffer): Promise<ForwardOutcome>;
  /** Backoff between attempts, and how long after its arrival a reply is given up on. */
  retry: RetryPolicy;
  log?: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
  /** How often to look for forwards due for a retry (wake() covers new ones). */
  pollMs?: number;
};

const BATCH = 10;
// Longer than any attempt can last (the relay's timeouts), so no second forwarder takes a forward
// that is still being sent.
const LEASE_MS = 10 * 60_000;
const STOP_WAIT_MS = 5_000;

export function startReplyForwarding(deps: ReplyForwardingDeps): ReplyForwarding {
  // The earliest retry this process scheduled: it sleeps no longer than that (other processes'
  // retries are found by polling).
  let nextRetryAt = Infinity;

  async function forward(f: DueForward): Promise<void> {
    const outcome = await deps.send(f.raw);
    if (outcome.ok) return recordForward(deps.db, f.id, { state: 'forwarded' });
    const retry = outcome.permanent ? { kind: 'expired' as const } : decideRetry(deps.retry, f.forward_attempts, f.received_at, new Date());
    if (retry.kind === 'retry') {
      nextRetryAt = Math.min(nextRetryAt, retry.at.getTime());
      deps.log?.warn({ inboundId: f.id, attempt: f.forward_attempts, error: outcome.message }, 'reply not forwarded yet; will retry');
      return recordForward(deps.db, f.id, { state: 'pending', nextAt: retry.at, error: outcome.message });
    }
    deps.log?.error({ inboundId: f.id, attempts: f.forward_attempts, error: outcome.message }, 'reply not forwarded: given up');
    return recordForward(deps.db, f.id, { state: 'failed', error: outcome.message });
  }

  const pollMs = deps.pollMs ?? 5_000;
  return startBackgroundTask({
    name: 'forwarding replies',
    intervalMs: pollMs,
    // A forward still on its way to a slow relay is not waited for long: its claim's lease makes
    // it due again if this process ends before recording it.
    stopTimeoutMs: STOP_WAIT_MS,
    // The database is away: the claimed forwards stay due after their lease.
    log: deps.log && { error: (obj, msg) => deps.log?.warn(obj, msg) },
    async run(isStopping) {
      const due = await claimDueForwards(deps.db, deps.holder, BATCH, LEASE_MS);
      for (const [i, f] of due.entries()) {
        if (isStopping()) {
          // The rest go back unsent, due at once for the next forwarder rather than after the lease.
          await releaseForwards(deps.db, due.slice(i).map((d) => d.id));
          return;
        }
        await forward(f);
      }
      if (due.length === BATCH) return 0;
      const untilRetry = nextRetryAt - Date.now();
      nextRetryAt = Infinity;
      return Math.max(0, Math.min(pollMs, untilRetry));
    },
  });
}
