// What a role is: a named set of servers and background tasks that one process runs, started from
// a shared context and stopped in the reverse order of their start.
import type { Logger } from 'pino';
import type { Config } from '../config/schema.ts';
import type { Metrics } from '../metrics/metrics.ts';
import type { Store } from '../store/open-store.ts';
import type { HitRecorder } from '../tracking/index.ts';
import type { TrackingFront } from '../http/tracking-front/start-tracking-front.ts';
import type { EventFeed } from '../events/index.ts';
import type { StatsFeed } from '../analytics/index.ts';
import type { InboundFeed } from '../inbound/index.ts';
import type { Resolver } from '../webhooks/index.ts';

export const ROLE_NAMES = ['api', 'tracking', 'worker', 'inbound', 'scheduler'] as const;
export type RoleName = (typeof ROLE_NAMES)[number];

export type RoleContext = {
  config: Config;
  store: Store;
  /** Signs return paths, tracking and unsubscribe tokens (SENDTRAIL_SECRET or the stored one). */
  secret: string;
  /** The default project: owner of returned mail that matches no email (the inbound role needs it). */
  projectId?: string;
  metrics: Metrics;
  log?: Logger;
  /** Names this process in the leases it takes, the events it writes and its row in the processes table. */
  workerId: string;
  /**
   * The database admits this process only (PGlite behind its directory lock): a process row still
   * running there is one that died, and its leases are taken over at start.
   */
  soleProcess?: boolean;
  /** The environment the configuration came from, to tell set keys from defaults (default: process.env). */
  env?: Record<string, string | undefined>;
  /** Where this process's inbound SMTP server listens, once the inbound role has started. */
  inboundSmtpUrl?: string;
  /** Tests: resolves webhook hosts without DNS (default: the system resolver). */
  webhookResolver?: Resolver;
  /** Tests: how often idle loops look for work, and how long simulated people take to open mail. */
  pollMs?: number;
  simulatorHumanDelayMs?: number;
};

/** Where a role records each part (server, task) as soon as it has started it: the process stops
 * them in reverse order, and a failure part-way through a start stops what had started. */
export type Parts = { add(name: string, stop: () => Promise<void> | void): void };

/** What the api and tracking roles serve on the process's one HTTP server. */
export type HttpShare = { api?: { eventFeed: EventFeed; statsFeed: StatsFeed; inboundFeed: InboundFeed }; tracking?: { keys: string[]; recorder: Pick<HitRecorder, 'record'>; log?: Logger; front?: TrackingFront } };

export type RoleOutput = {
  http?: HttpShare;
  /** The inbound role's SMTP server, for the worker's simulated recipients. */
  smtpUrl?: string;
};

export type Role = { name: RoleName; start(ctx: RoleContext, parts: Parts): Promise<RoleOutput> };
