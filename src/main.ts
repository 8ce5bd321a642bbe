// Composition root: opens the store the configuration names, prepares what every process needs
// (the default project, the signing secret, metrics) and starts the requested roles in this process.
import pino, { type Logger } from 'pino';
import type { Config } from './config/schema.ts';
import { resolveSecret } from './config/resolve-secret.ts';
import { publicUrlOf } from './config/public-urls.ts';
import { ensureSimulatorSuppressions } from './delivery/index.ts';
import { createMetrics } from './metrics/metrics.ts';
import { ensureDefaultProject } from './projects/default-project.ts';
import { ensureFirstAdmin, signInLinkUrl, systemClock } from './accounts/index.ts';
import { startRoles, type RoleName } from './roles/index.ts';
import { newProcessId } from './processes/index.ts';
import { openConfiguredStore } from './store/open-configured-store.ts';
import type { Store } from './store/open-store.ts';

export type Sendtrail = {
  store: Store;
  /** The HTTP server (api, tracking), when one of those roles runs here. */
  url?: string;
  /** The inbound SMTP server, when the inbound role runs here. */
  inboundSmtpUrl?: string;
  /** The default project's first API key, on the start that created it (shown once). */
  createdKey?: string;
  /** The first admin, on the start that created them, with their one-time sign-in link unless configured with a password. */
  firstAdmin?: { email: string; signInLink?: string };
  stop(): Promise<void>;
};

export async function startSendtrail(config: Config, roles: readonly RoleName[], log: Logger = pino({ level: config.LOG_LEVEL })): Promise<Sendtrail> {
  const store = await openConfiguredStore(config);
  try {
    const { projectId, createdKey } = await ensureDefaultProject(store.db, config.SENDTRAIL_API_KEY || undefined);
    await ensureSimulatorSuppressions(store.db, projectId);
    const admin = await ensureFirstAdmin(store.db, {
      email: config.SENDTRAIL_ADMIN_EMAIL || undefined,
      password: config.SENDTRAIL_ADMIN_PASSWORD || undefined,
      clock: systemClock,
    });
    const secret = await resolveSecret(config, store);
    const running = await startRoles(roles, {
      config,
      store,
      secret,
      projectId,
      metrics: createMetrics(),
      log,
      workerId: newProcessId(),
      // PGlite admits one process (a lock file): whatever other process its rows name has died.
      soleProcess: store.kind === 'pglite',
    });
    return {
      store,
      url: running.url,
      inboundSmtpUrl: running.inboundSmtpUrl,
      createdKey,
      firstAdmin: admin && { email: admin.email, signInLink: admin.signInToken && signInLinkUrl(publicUrlOf(config), admin.signInToken) },
      async stop() {
        await running.stop();
        await store.close();
      },
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
