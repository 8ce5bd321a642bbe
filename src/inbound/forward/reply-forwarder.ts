// The reply forwarder: sends the pending forwards of human replies through the relay, one at a
// time, retrying a relay that is down or deferring with the backoff of outgoing mail, until the
// relay takes each one or refuses it for good. Runs in every inbound process; SKIP LOCKED claims
// keep them from sending one forward twice (except after a crash mid-send: at least once).
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { createWakeableSleep } from '../../shared/wakeable-sleep.ts';
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
  const { sleep, wake } = createWakeableSleep();
  let woken = false;
  let stopped = false;

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

  const running = (async () => {
    while (!stopped) {
      woken = false;
      let due: DueForward[] = [];
      try {
        due = await claimDueForwards(deps.db, BATCH, LEASE_MS);
        for (const [i, f] of due.entries()) {
          if (stopped) {
            // The rest go back unsent, due at once for the next forwarder rather than after the lease.
            await releaseForwards(deps.db, due.slice(i).map((d) => d.id));
            break;
          }
          await forward(f);
        }
      } catch (err) {
        // The database is away: the claimed forwards stay due after their lease.
        deps.log?.warn({ err }, 'reply forwarding failed; retrying');
      }
      if (stopped) break;
      if (due.length < BATCH && !woken) {
        const untilRetry = nextRetryAt - Date.now();
        nextRetryAt = Infinity;
        await sleep(Math.max(0, Math.min(deps.pollMs ?? 5_000, untilRetry)));
      }
    }
  })();

  return {
    wake() {
      woken = true;
      wake();
    },
    async stop() {
      stopped = true;
      wake();
      // A forward still on its way to a slow relay is not waited for long: its claim's lease
      // makes it due again if this process ends before recording it.
      await Promise.race([running, new Promise((resolve) => setTimeout(resolve, STOP_WAIT_MS).unref())]);
    },
  };
}
