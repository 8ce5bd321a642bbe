// The delivery worker: claims due emails in batches, sends each through its transport under the
// per-domain limit, and group-commits the outcomes. Runs in any number of processes at once.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { Notifier } from '../store/open-store.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { QUEUE_CHANNEL, domainOf } from '../sending/index.ts';
import { buildMessage, type CampaignContent } from './build-message.ts';
import { decideOutcome } from './decide-outcome.ts';
import { createDomainLimiter } from './domain-limiter.ts';
import { createOutcomeWriter } from './outcome-writer.ts';
import { claimDueEmails, renewLeases, type ClaimedEmail, type Outcome } from './queue.repository.ts';
import { returnPathFor } from '../bounces/index.ts';
import { startNotifiedTask } from '../store/notified-task.ts';
import type { BackgroundTask } from '../shared/background-task.ts';
import type { TransportRouter } from './transport-router.ts';
import type { OutgoingMessage } from './transports/transport.ts';
import type { TrackingSettings } from '../tracking/index.ts';

export type WorkerDeps = {
  db: Kysely<Database>;
  /** SOFT_BOUNCE_SUPPRESS_COUNT: soft bounces of an address before it is suppressed (0 or absent: never). */
  softBounceSuppressCount?: number;
  notifier: Notifier;
  transports: TransportRouter;
  metrics: Metrics;
  workerId: string;
  secret: string;
  bounceDomain: string;
  concurrency: number;
  batchSize: number;
  leaseMs: number;
  domainConcurrency: number;
  loadCampaign(campaignId: string): Promise<CampaignContent | undefined>;
  /** Signs a message (DKIM) when its sender domain has a key; identity when absent. */
  sign?(projectId: string, message: OutgoingMessage): Promise<OutgoingMessage>;
  log?: { error(obj: unknown, msg?: string): void };
  pollMs?: number;
  /** Pixel, rewritten links and List-Unsubscribe are added when set. */
  tracking?: TrackingSettings;
};

export type DeliveryWorker = { stop(): Promise<void> };

export async function startDeliveryWorker(deps: WorkerDeps): Promise<DeliveryWorker> {
  const writer = createOutcomeWriter(deps.db, {
    onError: (err) => deps.log?.error({ err }, 'recording outcomes failed; retrying'),
    softBounceSuppressCount: deps.softBounceSuppressCount,
  });
  const limiter = createDomainLimiter(deps.domainConcurrency);
  const campaigns = new Map<string, Promise<CampaignContent | undefined>>();
  // Claimed emails whose outcome is not committed yet, by id: they fill the concurrency, stop()
  // waits for them, and their leases are renewed while they run.
  const inFlight = new Map<string, Promise<void>>();

  const campaignContent = (id: string) => {
    let content = campaigns.get(id);
    if (!content) {
      // Campaign content does not change once it sends; a bounded cache avoids a read per email.
      if (campaigns.size > 1000) campaigns.clear();
      content = deps.loadCampaign(id);
      campaigns.set(id, content);
    }
    return content;
  };

  async function deliver(email: ClaimedEmail): Promise<void> {
    const suppressedReason = email.suppressed_reason;
    const transport = deps.transports.forDomain(domainOf(email.to_address));
    let outcome: Outcome;
    if (suppressedReason !== null) {
      outcome = {
        emailId: email.id,
        projectId: email.project_id,
        status: 'rejected',
        nextAttemptAt: null,
        transport: transport.name,
        events: [{ projectId: email.project_id, emailId: email.id, type: 'rejected', metadata: { reason: 'suppressed', suppression_reason: suppressedReason } }],
      };
    } else {
      const release = await limiter.acquire(domainOf(email.to_address));
      const started = process.hrtime.bigint();
      try {
        const campaign = email.campaign_id ? await campaignContent(email.campaign_id) : undefined;
        let message = buildMessage(email, campaign, returnPathFor(email.id, deps.secret, deps.bounceDomain), deps.tracking);
        if (deps.sign) message = await deps.sign(email.project_id, message);
        const result = await transport.send(message);
        outcome = decideOutcome(email, transport, result);
      } catch (err) {
        // A fault of ours (rendering, signing): the email fails visibly instead of looping.
        outcome = decideOutcome(email, transport, { kind: 'failed', message: (err as Error).message });
      } finally {
        release();
      }
      deps.metrics.smtpLatency.observe({ transport: transport.name }, Number(process.hrtime.bigint() - started) / 1e9);
    }
    // Which process acted, for operators tracing a message across a fleet of workers.
    for (const e of outcome.events) e.metadata = { ...e.metadata, worker: deps.workerId };
    deps.metrics.deliveries.inc({ outcome: outcome.status, transport: outcome.transport });
    if (outcome.nextAttemptAt === null && email.next_attempt_at) {
      const dueAt = email.scheduled_at ?? email.created_at;
      deps.metrics.deliveryLatency.observe(Math.max(0, Date.now() - dueAt.getTime()) / 1000);
    }
    await writer.write(outcome);
  }

  const pollMs = deps.pollMs ?? 500;
  // Assigned before any send can finish (a send takes at least a turn of the event loop).
  let claiming: BackgroundTask | undefined;
  claiming = await startNotifiedTask(deps.notifier, QUEUE_CHANNEL, {
    name: 'claiming due emails',
    intervalMs: pollMs,
    errorDelayMs: 1000,
    log: deps.log,
    async run() {
      const capacity = deps.concurrency - inFlight.size;
      // Claim in sizeable batches: a claim per freed slot would cost a round trip per email.
      if (capacity < Math.min(deps.batchSize, Math.ceil(deps.concurrency / 2))) return pollMs;
      const batch = await claimDueEmails(deps.db, deps.workerId, Math.min(capacity, deps.batchSize), deps.leaseMs);
      for (const email of batch) track(email.id, deliver(email));
      return batch.length === 0 ? pollMs : 0;
    },
  });

  // A freed slot may let the next batch be claimed.
  function track(emailId: string, p: Promise<void>) {
    inFlight.set(emailId, p);
    void p.finally(() => {
      inFlight.delete(emailId);
      claiming?.wake();
    });
  }

  // Renewed at a third of the lease, so one failed renewal (a database blip) still leaves time.
  let renewing = false;
  const renewTimer = setInterval(() => {
    if (renewing || inFlight.size === 0) return;
    renewing = true;
    renewLeases(deps.db, deps.workerId, [...inFlight.keys()], deps.leaseMs)
      .catch((err) => deps.log?.error({ err }, 'renewing leases failed; retrying at the next interval'))
      .finally(() => (renewing = false));
  }, Math.max(200, Math.floor(deps.leaseMs / 3)));
  renewTimer.unref();

  return {
    async stop() {
      await claiming?.stop();
      await Promise.allSettled([...inFlight.values()]);
      await writer.close();
      // Only now: the sends finishing during the stop still hold their leases.
      clearInterval(renewTimer);
    },
  };
}
