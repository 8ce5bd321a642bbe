// Routes for campaigns (placeholder until the campaigns domain lands).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';

export function campaignRoutes(_db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async () => {};
}
