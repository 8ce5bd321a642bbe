// Starts the requested roles in this process, in an order that lets each use what the earlier
// ones started, serves the api and tracking roles on one HTTP server, and stops everything in the
// reverse order.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildServer } from '../http/build-server.ts';
import { acceptFromFront } from '../http/tracking-front/start-tracking-front.ts';
import { metricsAccessOf } from '../metrics/metrics-access.ts';
import { startPgliteMaintenance } from '../store/pglite-maintenance.ts';
import { apiRole } from './api.ts';
import { inboundRole } from './inbound.ts';
import type { HttpShare, Parts, Role, RoleContext, RoleName } from './role.ts';
import { trackingRole } from './tracking.ts';
import { workerRole } from './worker.ts';
import { schedulerRole } from './scheduler.ts';
import { commaList } from '../shared/comma-list.ts';
import { publicUrlOf } from '../config/public-urls.ts';
import { hostname } from 'node:os';
import { SENDTRAIL_VERSION, startProcessHeartbeat } from '../processes/index.ts';
import { takeOverAllLeases } from './take-over-leases.ts';
import { systemInfoOf } from './system-info.ts';
import { trackingSettingsOf } from './tracking-settings.ts';
import { webhookSettingsOf } from './webhook-settings.ts';

// Tracking first: its spool admits one process, and a second one should fail before starting
// anything. Inbound before the worker, whose simulated recipients send to it (and stops after it).
// The scheduler before the api, so that stats are being folded when the first request comes.
const START_ORDER: Role[] = [trackingRole, inboundRole, workerRole, schedulerRole, apiRole];

export type RunningRoles = {
  /** The HTTP server's address, when api or tracking runs here. */
  url?: string;
  /** The inbound SMTP server's address, when the inbound role runs here. */
  inboundSmtpUrl?: string;
  stop(): Promise<void>;
};

export async function startRoles(names: readonly RoleName[], ctx: RoleContext): Promise<RunningRoles> {
  const started: Array<{ name: string; stop(): Promise<void> | void }> = [];
  const parts: Parts = { add: (name, stop) => started.push({ name, stop }) };
  const stopAll = async () => {
    for (const part of started.splice(0).reverse()) {
      await Promise.resolve()
        .then(part.stop)
        .catch((err: unknown) => ctx.log?.error({ err, part: part.name }, `stopping the ${part.name} failed`));
    }
  };
  try {
    // First, so it stops last: a process is marked stopped once nothing it ran holds a lease. And
    // before the worker claims: on a sole-process database a dead predecessor's leases are freed first.
    const heartbeat = await startProcessHeartbeat({
      db: ctx.store.db,
      process: { id: ctx.workerId, roles: names, version: SENDTRAIL_VERSION, host: hostname(), pid: process.pid, storeKind: ctx.store.kind },
      heartbeatMs: ctx.config.PROCESS_HEARTBEAT_MS,
      lostAfterMs: ctx.config.PROCESS_LOST_AFTER_MS,
      soleProcess: ctx.soleProcess,
      takeOverLeases: takeOverAllLeases,
      log: ctx.log,
    });
    parts.add('process heartbeat', heartbeat.stop);
    // Every process on the embedded database keeps it vacuumed: PGlite has no autovacuum.
    if (ctx.store.kind === 'pglite') {
      const upkeep = startPgliteMaintenance({ db: ctx.store.db, intervalMs: ctx.config.PGLITE_VACUUM_INTERVAL_MS, log: ctx.log });
      parts.add('embedded database upkeep', upkeep.stop);
    }
    const http: HttpShare = {};
    let inboundSmtpUrl: string | undefined;
    for (const role of START_ORDER.filter((r) => names.includes(r.name))) {
      const output = await role.start({ ...ctx, inboundSmtpUrl: inboundSmtpUrl ?? ctx.inboundSmtpUrl }, parts);
      Object.assign(http, output.http);
      inboundSmtpUrl ??= output.smtpUrl;
    }
    const url = http.api || http.tracking ? await startHttpServer(ctx, http, parts) : undefined;
    return { url, inboundSmtpUrl, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

async function startHttpServer(ctx: RoleContext, share: HttpShare, parts: Parts): Promise<string> {
  const { config, store, metrics, secret } = ctx;
  const app = await buildServer({
    db: store.db,
    metrics,
    logLevel: config.LOG_LEVEL === 'debug' ? 'debug' : 'warn',
    api: share.api !== undefined,
    eventFeed: share.api?.eventFeed,
    statsFeed: share.api?.statsFeed,
    inboundFeed: share.api?.inboundFeed,
    tracking: share.tracking,
    trustProxy: commaList(config.TRACKING_TRUSTED_PROXIES),
    metricsAccess: metricsAccessOf(config),
    publicUrl: publicUrlOf(config),
    system: share.api ? systemInfoOf(ctx) : undefined,
    sentTracking: trackingSettingsOf(config, secret),
    bounceDomain: config.BOUNCE_DOMAIN,
    webhooks: share.api ? webhookSettingsOf(config, secret, ctx.webhookResolver) : undefined,
  });
  const front = share.tracking?.front;
  if (!front) {
    await app.listen({ port: config.PORT, host: config.HOST });
    parts.add('HTTP server', () => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    return `http://${config.HOST}:${port}`;
  }
  // The tracking front thread owns the port and passes every other connection on to this server,
  // on a Unix socket in a directory only this user can enter.
  const dir = await mkdtemp(join(tmpdir(), 'sendtrail-http-'));
  const backend = join(dir, 'main.sock');
  parts.add('HTTP server', () => app.close().finally(() => rm(dir, { recursive: true, force: true })));
  await app.listen({ path: backend });
  acceptFromFront(app.server);
  const port = await front.listen({ host: config.HOST, port: config.PORT, backend, trustProxy: commaList(config.TRACKING_TRUSTED_PROXIES) });
  return `http://${config.HOST}:${port}`;
}
