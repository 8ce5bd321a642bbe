// The webhook sender: claims due deliveries from the lease queue and posts them, at most
// MAX_IN_FLIGHT_PER_ENDPOINT at once per endpoint and `concurrency` in all, each attempt recorded
// with its delivery's new state. Runs in every worker process (deliveries are a queue like the
// emails, scaled out the same way); the outbox fills the queue from the scheduler and wakes it.
// The per-endpoint cap holds across processes in the claim itself (claimDueDeliveries: no more
// leases per endpoint than the cap); the lanes here keep it within the process as well.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { Notifier } from '../../store/open-store.ts';
import { startNotifiedTask } from '../../store/notified-task.ts';
import type { BackgroundTask, TaskLog } from '../../shared/background-task.ts';
import { DELIVERIES_CHANNEL } from '../outbox/fill-outbox.ts';
import { disableEndpoint, endpointForSending, markEndpointHealth, type EndpointRow } from '../endpoints/endpoints.repository.ts';
import { signingSecrets } from '../endpoints/manage-endpoints.ts';
import type { SecretBox } from '../secret-box.ts';
import { webhookHeaders } from '../signature.ts';
import { claimDueDeliveries, failPendingDeliveries, holdDelivery, MAX_IN_FLIGHT_PER_ENDPOINT, recordAttempt, releaseDeliveries, type DueDelivery } from './deliveries.repository.ts';
import { decideDelivery, DISABLE_AFTER_FAILING_MS } from './decide-delivery.ts';
import type { Poster, PostResult } from './post-webhook.ts';
import { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './retry-schedule.ts';

export type WebhookSenderDeps = {
  db: Kysely<Database>;
  notifier: Notifier;
  poster: Poster;
  box: SecretBox;
  /** Names this process in the leases it takes. */
  holder: string;
  schedule?: RetrySchedule;
  concurrency?: number;
  leaseMs?: number;
  pollMs?: number;
  log?: TaskLog & { warn(obj: unknown, msg?: string): void };
  now?: () => Date;
  /** Told when the sender disables an endpoint (a 410, 5 days of failures): the admins' email. */
  onEndpointDisabled?: (endpoint: EndpointRow, reason: string) => Promise<void>;
};

// Longer than a claimed delivery can wait in memory behind its endpoint's cap and then take (the
// poster's total timeout), so no second sender takes it while this one still holds it.
const DEFAULT_LEASE_MS = 10 * 60_000;
const STOP_WAIT_MS = 20_000;

export type WebhookSender = BackgroundTask & { idle(): Promise<void> };

export async function startWebhookSender(deps: WebhookSenderDeps): Promise<WebhookSender> {
  const concurrency = deps.concurrency ?? 32;
  const leaseMs = deps.leaseMs ?? DEFAULT_LEASE_MS;
  const now = deps.now ?? (() => new Date());
  const inFlight = new Set<Promise<void>>();
  // Per endpoint: how many are posting now, and the claimed ones waiting their turn.
  const lanes = new Map<string, { active: number; waiting: DueDelivery[] }>();

  async function attempt(d: DueDelivery): Promise<void> {
    const endpoint = await endpointForSending(deps.db, d.endpoint_id);
    // Disabled or deleted since the claim: held back, out of the queue, until it is enabled again.
    if (!endpoint) return holdDelivery(deps.db, d.id);
    const at = now();
    let result: PostResult;
    try {
      const body = JSON.stringify(d.payload);
      const headers = webhookHeaders(signingSecrets(endpoint, deps.box, at), d.id, Math.floor(at.getTime() / 1000), body);
      result = await deps.poster.post(endpoint.url, headers, body);
    } catch (err) {
      // The sealed secret does not open: the installation secret changed since it was sealed.
      result = { kind: 'no_answer', error: `cannot sign: ${(err as Error).message}; rotate the endpoint's secret`, durationMs: 0 };
    }
    const decision = decideDelivery(result, d.attempts, now(), deps.schedule ?? DEFAULT_RETRY_SCHEDULE);
    // The endpoint is judged first: when it is to be disabled, that happens before this delivery
    // stops being pending, so the email's next delivery is never claimed in between.
    const disabled = await judgeEndpoint(endpoint, decision.ok, decision.disable, at);
    await recordAttempt(deps.db, d.id, {
      attemptedAt: at,
      status: result.kind === 'answered' ? result.status : null,
      durationMs: result.durationMs,
      excerpt: result.kind === 'answered' ? result.excerpt : null,
      error: disabled && !decision.disable ? `${decision.error}; endpoint disabled: ${disabled}` : decision.error,
    }, disabled ? { state: 'failed' } : decision.outcome);
  }

  /** Records the endpoint's health; disables it (giving up its other pending deliveries) when it must be, and says why. */
  async function judgeEndpoint(endpoint: EndpointRow, ok: boolean, disable: string | undefined, at: Date): Promise<string | undefined> {
    const health = await markEndpointHealth(deps.db, endpoint.id, ok, at);
    const failingSince = health?.failing_since ?? endpoint.failing_since;
    const reason = disable ?? (!ok && failingSince && at.getTime() - failingSince.getTime() >= DISABLE_AFTER_FAILING_MS
      ? `every attempt failed for 5 days, since ${failingSince.toISOString()}` : undefined);
    if (!reason) return undefined;
    await disableEndpoint(deps.db, endpoint.id, reason);
    await failPendingDeliveries(deps.db, endpoint.id, `endpoint disabled: ${reason}`);
    deps.log?.warn({ endpointId: endpoint.id, reason }, 'webhook endpoint disabled');
    await deps.onEndpointDisabled?.(endpoint, reason).catch((err: unknown) => deps.log?.error({ err, endpointId: endpoint.id }, 'telling the admins of a disabled endpoint failed'));
    return reason;
  }

  function pump(endpointId: string): void {
    const lane = lanes.get(endpointId);
    if (!lane) return;
    while (lane.active < MAX_IN_FLIGHT_PER_ENDPOINT && lane.waiting.length > 0) {
      const d = lane.waiting.shift()!;
      lane.active++;
      const p: Promise<void> = attempt(d)
        .catch((err: unknown) => deps.log?.error({ err, deliveryId: d.id }, 'webhook attempt not recorded; its lease will make it due again'))
        .finally(() => {
          lane.active--;
          inFlight.delete(p);
          if (lane.waiting.length > 0) return pump(endpointId);
          if (lane.active === 0) lanes.delete(endpointId);
          // Claim again only once the lane has nothing waiting: until then its endpoint counts as
          // full in the claim (its waiting rows are leased).
          task?.wake();
        });
      inFlight.add(p);
    }
  }

  const claimed = () => [...lanes.values()].reduce((n, l) => n + l.active + l.waiting.length, 0);

  let task: BackgroundTask | undefined;
  task = await startNotifiedTask(deps.notifier, DELIVERIES_CHANNEL, {
    name: 'sending webhooks',
    intervalMs: deps.pollMs ?? 1000,
    stopTimeoutMs: STOP_WAIT_MS,
    log: deps.log,
    async run(isStopping) {
      const room = concurrency - claimed();
      if (room <= 0 || isStopping()) return deps.pollMs ?? 1000;
      const due = await claimDueDeliveries(deps.db, room, leaseMs, deps.holder);
      for (const d of due) {
        const lane = lanes.get(d.endpoint_id) ?? { active: 0, waiting: [] };
        lanes.set(d.endpoint_id, lane);
        lane.waiting.push(d);
      }
      for (const id of new Set(due.map((d) => d.endpoint_id))) pump(id);
      return due.length === room ? 0 : deps.pollMs ?? 1000;
    },
  });

  const started = task;
  return {
    wake: started.wake,
    runNow: started.runNow,
    async idle() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    async stop() {
      await started.stop();
      // Claimed but not started: back to the queue at once rather than after the lease.
      const waiting = [...lanes.values()].flatMap((l) => l.waiting.splice(0));
      await releaseDeliveries(deps.db, waiting.map((d) => d.id)).catch(() => {});
      await Promise.race([Promise.all([...inFlight]), new Promise((r) => setTimeout(r, STOP_WAIT_MS).unref())]);
      deps.poster.close();
    },
  };
}
