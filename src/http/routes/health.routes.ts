// Liveness (open to all) and Prometheus metrics (to the clients metrics-access.ts admits).
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { readQueueDepth } from '../../delivery/index.ts';
import { metricsGate } from '../../metrics/metrics-access.ts';
import { sendError } from '../error-handler.ts';

export function healthRoutes(
  db: Kysely<Database>,
  metrics: Metrics,
  /** Default: loopback clients only. */
  admitsMetrics: (request: FastifyRequest) => boolean = metricsGate(),
): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(db);
        return { status: 'ok' };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
      }
    });

    // A refused client gets what an unknown route gets: nothing tells it /metrics is there.
    const refuse = async (request: FastifyRequest, reply: FastifyReply) => {
      if (!admitsMetrics(request)) return sendError(reply, 'not_found', `No route ${request.method} /metrics`);
    };
    app.get('/metrics', { schema: { hide: true }, onRequest: refuse }, async (_request, reply) => {
      const depth = await readQueueDepth(db).catch(() => undefined);
      if (depth) {
        metrics.queueDepth.set(depth.queued);
        metrics.queueScheduled.set(depth.waiting);
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  };
}
