// Composition root: reads config, opens the store, plugs real adapters into the domains and
// starts the requested roles in this process.
import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { resolveSecret } from './config/resolve-secret.ts';
import type { Store } from './store/open-store.ts';
import { openConfiguredStore } from './store/open-configured-store.ts';
import { ensureDefaultProject } from './projects/default-project.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { buildServer } from './http/build-server.ts';
import {
  createMessageSigner,
  createTransportRouter,
  ensureSimulatorSuppressions,
  startDeliveryWorker,
  startSimulatorServer,
} from './delivery/index.ts';
import { loadCampaignContent, startCampaignExpander } from './campaigns/index.ts';
import { startHitRecorder, trackingKeys, type HitRecorder, type TrackingSettings } from './tracking/index.ts';
import { createClassifier, loadSignatures } from './tracking/classify/index.ts';

export const ROLES = ['api', 'tracking', 'worker'] as const;
export type Role = (typeof ROLES)[number];
// Roles of DESIGN.md section 2 that later issues bring; named here so `--roles` can say so.
const FUTURE_ROLES: Record<string, string> = {
  inbound: 'the inbound SMTP server (issue 4)',
  scheduler: 'rollups, alerts and webhooks (scheduled sends and retries already run in the worker role)',
};

export function parseRoles(value: string | undefined): Role[] {
  if (!value) return [...ROLES];
  const roles = value.split(',').map((r) => r.trim()).filter(Boolean);
  for (const r of roles) {
    if (FUTURE_ROLES[r]) throw new Error(`role "${r}" is not available yet: ${FUTURE_ROLES[r]}`);
    if (!(ROLES as readonly string[]).includes(r)) throw new Error(`unknown role "${r}"; roles: ${ROLES.join(', ')}`);
  }
  return roles as Role[];
}

export type WorkerRoleDeps = {
  config: Config;
  store: Store;
  metrics: Metrics;
  secret: string;
  workerId: string;
  log?: Logger;
  pollMs?: number;
  /** Tests shorten how long simulated people take to open their mail. */
  simulatorHumanDelayMs?: number;
};

/** The worker role: the mailbox simulator, the transports, the delivery worker and the campaign expander. */
export async function startWorkerRole(deps: WorkerRoleDeps): Promise<{ stop(): Promise<void> }> {
  const { config, store } = deps;
  const simulator = await startSimulatorServer({ world: { publicUrl: publicUrlOf(config), log: deps.log, humanDelayMs: deps.simulatorHumanDelayMs } });
  const transports = createTransportRouter(config, simulator.url);
  const worker = await startDeliveryWorker({
    db: store.db,
    notifier: store.notifier,
    transports,
    metrics: deps.metrics,
    workerId: deps.workerId,
    secret: deps.secret,
    bounceDomain: config.BOUNCE_DOMAIN,
    concurrency: config.WORKER_CONCURRENCY,
    batchSize: config.CLAIM_BATCH_SIZE,
    leaseMs: config.LEASE_MS,
    domainConcurrency: config.DOMAIN_CONCURRENCY,
    loadCampaign: (id) => loadCampaignContent(store.db, id),
    sign: createMessageSigner(store.db),
    log: deps.log,
    pollMs: deps.pollMs,
    tracking: trackingSettingsOf(config, deps.secret),
  });
  const expander = await startCampaignExpander({ db: store.db, notifier: store.notifier, log: deps.log, pollMs: deps.pollMs });
  return {
    async stop() {
      await expander.stop();
      await worker.stop();
      await transports.close();
      await simulator.close();
    },
  };
}

/** What the worker needs to add tracking at send time: serializable, so rendering can move to a thread. */
export function trackingSettingsOf(config: Config, secret: string): TrackingSettings {
  return { publicUrl: publicUrlOf(config), signingKey: trackingKeys(config.TRACKING_KEYS, secret)[0]!, bounceDomain: config.BOUNCE_DOMAIN };
}

/** The tracking role's recorder: the live classifier, group commits, the spool in the data dir. */
export async function startTrackingRecorder(config: Config, store: Store, log?: Logger): Promise<HitRecorder> {
  const classify = createClassifier({ signatures: loadSignatures(config.TRACKING_SIGNATURES_DIR || undefined) });
  return startHitRecorder({
    db: store.db,
    classify,
    spoolDir: config.SENDTRAIL_DATA_DIR,
    batchMs: config.TRACKING_BATCH_MS,
    commitTimeoutMs: config.TRACKING_COMMIT_TIMEOUT_MS,
    historyTtlMs: store.kind === 'pglite' ? Infinity : undefined,
    log,
  });
}

/** PUBLIC_URL, or the API's own address when it is unset (a single-machine install). */
export function publicUrlOf(config: Config): string {
  return (config.PUBLIC_URL || `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

export type Sendtrail = {
  store: Store;
  url?: string;
  createdKey?: string;
  stop(): Promise<void>;
};

export async function startSendtrail(config: Config, roles: Role[], log: Logger = pino({ level: config.LOG_LEVEL })): Promise<Sendtrail> {
  const store = await openConfiguredStore(config);
  const stops: Array<() => Promise<void>> = [];
  try {
    const { projectId, createdKey } = await ensureDefaultProject(store.db, config.SENDTRAIL_API_KEY || undefined);
    await ensureSimulatorSuppressions(store.db, projectId);
    const secret = await resolveSecret(config);
    const metrics = createMetrics();
    let url: string | undefined;

    if (roles.includes('worker')) {
      const worker = await startWorkerRole({ config, store, metrics, secret, log, workerId: `${hostname()}:${process.pid}` });
      stops.push(worker.stop);
    }

    let tracking: { keys: string[]; recorder: HitRecorder; log: Logger } | undefined;
    if (roles.includes('tracking')) {
      const recorder = await startTrackingRecorder(config, store, log);
      stops.unshift(() => recorder.close());
      tracking = { keys: trackingKeys(config.TRACKING_KEYS, secret), recorder, log };
    }

    // api and tracking share one HTTP server when they run in one process.
    if (roles.includes('api') || tracking) {
      const app: FastifyInstance = await buildServer({
        db: store.db,
        metrics,
        logLevel: config.LOG_LEVEL === 'debug' ? 'debug' : 'warn',
        api: roles.includes('api'),
        tracking,
        trustProxy: config.TRACKING_TRUSTED_PROXIES.split(',').map((p) => p.trim()).filter(Boolean),
      });
      await app.listen({ port: config.PORT, host: config.HOST });
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      url = `http://${config.HOST}:${port}`;
      stops.unshift(() => app.close());
    }

    return {
      store,
      url,
      createdKey,
      async stop() {
        for (const stop of stops) await stop().catch((err) => log.error({ err }, 'stopping failed'));
        await store.close();
      },
    };
  } catch (err) {
    for (const stop of stops) await stop().catch(() => {});
    await store.close();
    throw err;
  }
}
