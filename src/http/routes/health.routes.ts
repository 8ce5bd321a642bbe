// Liveness and Prometheus metrics.
import type { FastifyPluginAsync } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { Metrics } from '../../metrics/metrics.ts';
import { readQueueDepth } from '../../delivery/index.ts';

export function healthRoutes(db: Kysely<Database>, metrics: Metrics): FastifyPluginAsync {
  return async (app) => {
    app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
      try {
        await sql`SELECT 1`.execute(db);
        return { status: 'ok' };
      } catch {
        return reply.status(503).send({ status: 'unavailable', database: 'unreachable' });
      }
    });

    app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
      const depth = await readQueueDepth(db).catch(() => undefined);
      if (depth) {
        metrics.queueDepth.set(depth.queued);
        metrics.queueScheduled.set(depth.waiting);
      }
      return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    });
  };
}
