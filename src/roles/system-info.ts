// What GET /v1/system and /v1/settings say about this installation beyond the database: the
// heartbeat settings, where the store is (never its password) and the configuration, masked.
import { resolve } from 'node:path';
import { describeConfig } from '../config/load-config.ts';
import { groupConfig } from '../config/format-config.ts';
import type { Config } from '../config/schema.ts';
import type { SystemRouteDeps } from '../http/routes/system.routes.ts';
import type { StoreSummary } from '../http/routes/system.schema.ts';
import type { RoleContext } from './role.ts';

export function systemInfoOf(ctx: RoleContext): Omit<SystemRouteDeps, 'db'> {
  const { config } = ctx;
  return {
    heartbeatMs: config.PROCESS_HEARTBEAT_MS,
    lostAfterMs: config.PROCESS_LOST_AFTER_MS,
    store: storeSummaryOf(config, ctx.store.kind),
    settings: () => groupConfig(describeConfig(config, ctx.env)),
  };
}

export function storeSummaryOf(config: Pick<Config, 'DATABASE_URL' | 'SENDTRAIL_DATA_DIR'>, kind: 'pglite' | 'postgres'): StoreSummary {
  if (kind === 'pglite') {
    return {
      kind,
      data_dir: resolve(config.SENDTRAIL_DATA_DIR),
      fsync: false,
      warning: 'The embedded database never syncs to disk (fsync off): it survives a crash of Sendtrail but not a power cut or a kernel crash. Set DATABASE_URL to run on PostgreSQL in production.',
    };
  }
  // Only where it is: the URL's password (and any query parameter) is left out, not masked.
  try {
    const url = new URL(config.DATABASE_URL);
    return {
      kind,
      host: decodeURIComponent(url.hostname) || 'localhost',
      port: url.port ? Number(url.port) : 5432,
      database: decodeURIComponent(url.pathname.replace(/^\//, '')) || decodeURIComponent(url.username),
      ...(url.username ? { user: decodeURIComponent(url.username) } : {}),
      fsync: true,
    };
  } catch {
    return { kind, fsync: true };
  }
}
