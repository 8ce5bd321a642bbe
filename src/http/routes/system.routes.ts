// GET /v1/system (every signed-in user and API key): Sendtrail's processes with their heartbeats,
// the queue and the store. GET /v1/settings (admins): the effective configuration, secrets masked.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { withoutSeqScan } from '../../store/without-seq-scan.ts';
import type { ConfigEntryGroup } from '../../config/format-config.ts';
import { listProcesses } from '../../processes/index.ts';
import { countHeldEmails, readQueueSnapshot } from '../../delivery/index.ts';
import { countHeldForwards } from '../../inbound/index.ts';
import { countHeldDeliveries } from '../../webhooks/index.ts';
import { ErrorBody, errorResponses } from '../schemas.ts';
import { sendError } from '../error-handler.ts';
import { SettingsSchema, SystemSchema, type StoreSummary } from './system.schema.ts';

export type SystemRouteDeps = {
  db: Kysely<Database>;
  heartbeatMs: number;
  lostAfterMs: number;
  store: StoreSummary;
  /** Every configuration key by group with its effective value, already masked (config/format-config.ts groupConfig). */
  settings(): ConfigEntryGroup[];
};

async function adminOnly(request: FastifyRequest, reply: FastifyReply) {
  if (request.auth.kind !== 'session' || request.auth.role !== 'admin') {
    return sendError(reply, 'forbidden', 'Only an admin, signed in to the dashboard, reads the settings');
  }
}

export function systemRoutes(deps: SystemRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/system', {
      schema: {
        summary: 'Sendtrail\'s processes, queue and store',
        description: 'Each process that ran `sendtrail start` in the last 24 hours, with its roles, version, host, pid and last heartbeat; the queue depth; the store. Any signed-in user or API key may read it.',
        tags: ['system'],
        response: { 200: SystemSchema, ...errorResponses, 403: ErrorBody },
      },
    }, async () => {
      // The queue and the leases are read from partial indexes of a few rows, never the emails
      // table itself, however many emails there are and whether or not it was analyzed yet.
      const [processes, { queue, heldEmails, heldForwards, heldDeliveries }] = await Promise.all([
        listProcesses(deps.db, deps.lostAfterMs),
        withoutSeqScan(deps.db, async (trx) => ({
          queue: await readQueueSnapshot(trx),
          heldEmails: await countHeldEmails(trx),
          heldForwards: await countHeldForwards(trx),
          heldDeliveries: await countHeldDeliveries(trx),
        })),
      ]);
      return {
        server_time: new Date().toISOString(),
        heartbeat_ms: deps.heartbeatMs,
        lost_after_ms: deps.lostAfterMs,
        processes: processes.map((p) => ({
          id: p.id,
          roles: [...p.roles],
          version: p.version,
          host: p.host,
          pid: p.pid,
          started_at: p.startedAt.toISOString(),
          heartbeat_at: p.heartbeatAt.toISOString(),
          heartbeat_age_ms: p.heartbeatAgeMs,
          stopped_at: p.stoppedAt?.toISOString() ?? null,
          state: p.state,
          leases: { emails: heldEmails.get(p.id) ?? 0, reply_forwards: heldForwards.get(p.id) ?? 0, webhook_deliveries: heldDeliveries.get(p.id) ?? 0 },
        })),
        queue: { queued: queue.queued, scheduled: queue.scheduled, retrying: queue.retrying, due: queue.due, due_capped: queue.dueCapped, held: queue.held },
        store: deps.store,
      };
    });

    app.get('/v1/settings', {
      onRequest: adminOnly,
      schema: {
        summary: 'The effective configuration, secrets masked',
        description: 'Every configuration key by group, as `sendtrail config` prints it: the value in force, whether the environment set it, and what it does. Secrets are never in the answer (a set one reads ********), nor the passwords in URLs. Only an admin\'s dashboard session may read it (403 forbidden for a viewer or an API key).',
        tags: ['system'],
        response: { 200: SettingsSchema, ...errorResponses, 403: ErrorBody },
      },
    }, async () => {
      const groups = deps.settings().map((g) => ({
        id: g.id,
        title: g.title,
        advanced: g.id === 'advanced',
        settings: g.entries.map((e) => ({
          key: e.key,
          value: e.value,
          default_value: e.defaultValue,
          source: e.source === 'set' ? 'env' as const : 'default' as const,
          secret: e.secret,
          description: e.description,
        })),
      }));
      return { groups };
    });
  };
}
