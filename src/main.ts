// Composition root: reads config, opens the store, plugs real adapters into the domains and
// starts the requested roles in this process.
import { hostname } from 'node:os';
import pino, { type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { Config } from './config/schema.ts';
import { resolveSecret } from './config/resolve-secret.ts';
import type { Store } from './store/open-store.ts';
import { openConfiguredStore } from './store/open-configured-store.ts';
import { startPgliteMaintenance } from './store/pglite-maintenance.ts';
import { ensureDefaultProject } from './projects/default-project.ts';
import { createMetrics, type Metrics } from './metrics/metrics.ts';
import { metricsAccessOf } from './metrics/metrics-access.ts';
import { buildServer } from './http/build-server.ts';
import {
  createMessageSigner,
  createTransportRouter,
  ensureSimulatorSuppressions,
  relayRetryPolicyOf,
  startDeliveryWorker,
  startSimulatorServer,
} from './delivery/index.ts';
import { loadCampaignContent, startCampaignExpander } from './campaigns/index.ts';
import { startIdempotencyKeyExpiry } from './sending/index.ts';
import { readFile } from 'node:fs/promises';
import { createForwardTransport, ingestMessage, startInboundSmtpServer, startReplyForwarding, type InboundSmtpServer } from './inbound/index.ts';
import { classifyReturnedMessage } from './bounces/index.ts';
import { startCommitThread, startHitRecorder, trackingKeys, verifyToken, type HitRecorder, type TrackingSettings } from './tracking/index.ts';
import { createClassifier, loadSignatures } from './tracking/classify/index.ts';

export const ROLES = ['api', 'tracking', 'worker', 'inbound'] as const;
export type Role = (typeof ROLES)[number];
// Roles of DESIGN.md section 2 that later issues bring; named here so `--roles` can say so.
const FUTURE_ROLES: Record<string, string> = {
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
  /** The inbound SMTP server when it runs in this process (its real port); else from config. */
  inboundSmtpUrl?: string;
  /** Tests shorten how long simulated people take to open their mail. */
  simulatorHumanDelayMs?: number;
};

const KEY_EXPIRY_SWEEP_MS = 10 * 60_000;

/** The worker role: the mailbox simulator, the transports, the delivery worker, the campaign expander and the expiry of idempotency keys. */
export async function startWorkerRole(deps: WorkerRoleDeps): Promise<{ stop(): Promise<void> }> {
  const { config, store } = deps;
  const simulator = await startSimulatorServer({
    world: {
      publicUrl: publicUrlOf(config),
      inboundSmtpUrl: deps.inboundSmtpUrl ?? inboundSmtpUrlOf(config),
      replyDomain: config.REPLY_DOMAIN,
      humanDelayMs: deps.simulatorHumanDelayMs,
      log: deps.log,
    },
  });
  const transports = createTransportRouter(config, simulator.url);
  const worker = await startDeliveryWorker({
    db: store.db,
    notifier: store.notifier,
    transports,
    metrics: deps.metrics,
    workerId: deps.workerId,
    secret: deps.secret,
    bounceDomain: config.BOUNCE_DOMAIN,
    softBounceSuppressCount: config.SOFT_BOUNCE_SUPPRESS_COUNT,
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
  // Housekeeping rides with the worker: every deployment runs one, and a sweep by several is harmless.
  const keyExpiry = startIdempotencyKeyExpiry({ db: store.db, intervalMs: KEY_EXPIRY_SWEEP_MS, log: deps.log });
  return {
    async stop() {
      await keyExpiry.stop();
      await expander.stop();
      await worker.stop();
      await transports.close();
      await simulator.close();
    },
  };
}

/** Where other processes reach the inbound SMTP server: INBOUND_HOST, or loopback when it listens on all. */
export function inboundSmtpUrlOf(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.INBOUND_HOST) ? '127.0.0.1' : config.INBOUND_HOST;
  return `smtp://${host.includes(':') ? `[${host}]` : host}:${config.INBOUND_SMTP_PORT}`;
}

export type InboundRoleDeps = {
  config: Config;
  store: Store;
  secret: string;
  /** Owner of returned mail that matches no email. */
  projectId: string;
  log?: Logger;
};

/** The inbound role: the SMTP server for bounces, complaints and replies, feeding ingest. */
export async function startInboundRole(deps: InboundRoleDeps): Promise<{ url: string; port: number; stop(): Promise<void> }> {
  const { config, store } = deps;
  const domains = { bounceDomain: config.BOUNCE_DOMAIN, replyDomain: config.REPLY_DOMAIN };
  const forwardTransport = config.REPLY_FORWARD_TO && config.SMTP_URL
    ? createForwardTransport(config.SMTP_URL, config.REPLY_FORWARD_TO, `postmaster@${config.REPLY_DOMAIN}`)
    : undefined;
  const tls = config.INBOUND_TLS_KEY_FILE
    ? { key: await readFile(config.INBOUND_TLS_KEY_FILE), cert: await readFile(config.INBOUND_TLS_CERT_FILE) }
    : undefined;
  const unsubscribeKeys = trackingKeys(config.TRACKING_KEYS, deps.secret);
  const ingestDeps = {
    db: store.db,
    classify: classifyReturnedMessage,
    secret: deps.secret,
    domains,
    fallbackProjectId: deps.projectId,
    softBounceSuppressCount: config.SOFT_BOUNCE_SUPPRESS_COUNT,
    forwardReplies: forwardTransport !== undefined,
    // The mailto of List-Unsubscribe carries the same signed token as the one-click URL.
    verifyUnsubscribeToken: async (token: string) => {
      const payload = verifyToken(unsubscribeKeys, token);
      return payload?.kind === 'unsubscribe' ? payload.emailId : undefined;
    },
  };
  // Forwards are work stored with each reply: started before the server, it also sends what an
  // earlier process left pending.
  const forwarding = forwardTransport
    ? startReplyForwarding({ db: store.db, send: forwardTransport.send, retry: relayRetryPolicyOf(config), log: deps.log })
    : undefined;
  let server: InboundSmtpServer;
  try {
    server = await startInboundSmtpServer({
      host: config.INBOUND_HOST,
      port: config.INBOUND_SMTP_PORT,
      domains,
      maxMessageBytes: config.INBOUND_MAX_MESSAGE_BYTES,
      tls,
      log: deps.log,
      async ingest(envelope, raw) {
        const result = await ingestMessage(ingestDeps, envelope, raw);
        if (result.forwardPending) forwarding?.wake();
        return result;
      },
    });
  } catch (err) {
    await forwarding?.stop();
    forwardTransport?.close();
    throw err;
  }
  return {
    url: server.url,
    port: server.port,
    async stop() {
      await server.close();
      await forwarding?.stop();
      forwardTransport?.close();
    },
  };
}

/** What the worker needs to add tracking at send time: serializable, so rendering can move to a thread. */
export function trackingSettingsOf(config: Config, secret: string): TrackingSettings {
  return {
    publicUrl: publicUrlOf(config),
    signingKey: trackingKeys(config.TRACKING_KEYS, secret)[0]!,
    bounceDomain: config.BOUNCE_DOMAIN,
    honeypot: config.TRACKING_HONEYPOT,
  };
}

const PGLITE_COMMIT_BATCH = 150;

/** The recorder's spool and commit timing from the configuration, whatever commits its batches. */
export function spoolingOf(config: Config, log?: Logger) {
  return {
    spoolDir: config.SENDTRAIL_DATA_DIR,
    batchMs: config.TRACKING_BATCH_MS,
    commitLingerMs: config.TRACKING_COMMIT_LINGER_MS,
    commitTimeoutMs: config.TRACKING_COMMIT_TIMEOUT_MS,
    log,
  };
}

/** The tracking role's recorder: the live classifier, group commits, the spool in the data dir. */
export async function startTrackingRecorder(config: Config, store: Store, log?: Logger): Promise<HitRecorder> {
  const spooling = spoolingOf(config, log);
  const signaturesDir = config.TRACKING_SIGNATURES_DIR || undefined;
  // On PostgreSQL, classifying and storing hits runs in its own thread with its own connections;
  // PGlite's database lives on this thread, so its hits are committed here.
  if (store.kind === 'postgres' && config.TRACKING_COMMIT_THREAD) {
    const thread = await startCommitThread({ databaseUrl: config.DATABASE_URL, signaturesDir });
    const recorder = await startHitRecorder({ ...spooling, commit: ({ lines }) => thread.commit(lines) }).catch(async (err: unknown) => {
      await thread.close();
      throw err;
    });
    return { ...recorder, close: () => recorder.close().finally(() => thread.close()) };
  }
  const classify = createClassifier({ signatures: loadSignatures(signaturesDir) });
  const pglite = store.kind === 'pglite';
  return startHitRecorder({
    ...spooling,
    db: store.db,
    classify,
    historyTtlMs: pglite ? Infinity : undefined,
    // PGlite runs a commit on this thread, blocking the requests meanwhile: smaller batches keep
    // that wait short (bench:track on PGlite: p99 26 ms at commit 4df1be4 with 150, 36-42 ms at
    // 90d4468 with the default 500).
    maxCommitBatch: pglite ? PGLITE_COMMIT_BATCH : undefined,
  });
}

/** PUBLIC_URL, or the API's own address when it is unset (a single-machine install). */
export function publicUrlOf(config: Config): string {
  return (config.PUBLIC_URL || `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

export type Sendtrail = {
  store: Store;
  url?: string;
  /** The inbound SMTP server, when the inbound role runs here. */
  inboundSmtpUrl?: string;
  createdKey?: string;
  stop(): Promise<void>;
};

export async function startSendtrail(config: Config, roles: Role[], log: Logger = pino({ level: config.LOG_LEVEL })): Promise<Sendtrail> {
  const store = await openConfiguredStore(config);
  const stops: Array<() => Promise<void>> = [];
  try {
    const { projectId, createdKey } = await ensureDefaultProject(store.db, config.SENDTRAIL_API_KEY || undefined);
    await ensureSimulatorSuppressions(store.db, projectId);
    const secret = await resolveSecret(config, store);
    const metrics = createMetrics();
    let url: string | undefined;

    if (store.kind === 'pglite') {
      const maintenance = startPgliteMaintenance({ db: store.db, intervalMs: config.PGLITE_VACUUM_INTERVAL_MS, log });
      stops.push(() => maintenance.stop());
    }

    let tracking: { keys: string[]; recorder: HitRecorder; log: Logger } | undefined;
    // First: its spool admits one process, and a second one should fail before starting anything.
    if (roles.includes('tracking')) {
      const recorder = await startTrackingRecorder(config, store, log);
      stops.unshift(() => recorder.close());
      tracking = { keys: trackingKeys(config.TRACKING_KEYS, secret), recorder, log };
    }

    // Started before the worker, whose simulated recipients send to it; stopped after it.
    const inbound = roles.includes('inbound') ? await startInboundRole({ config, store, secret, projectId, log }) : undefined;
    const inboundSmtpUrl = inbound?.url;
    if (inbound) stops.push(inbound.stop);

    if (roles.includes('worker')) {
      const worker = await startWorkerRole({ config, store, metrics, secret, log, inboundSmtpUrl, workerId: `${hostname()}:${process.pid}` });
      stops.unshift(worker.stop);
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
        metricsAccess: metricsAccessOf(config),
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
      inboundSmtpUrl,
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
