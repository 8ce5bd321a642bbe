// Bearer API key authentication: resolves the key to its project; everything after is scoped to it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { findProjectIdByApiKey } from '../projects/api-keys.ts';
import { sendError } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyRequest {
    projectId: string;
  }
}

export function authenticate(db: Kysely<Database>) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
    const projectId = match ? await findProjectIdByApiKey(db, match[1]!) : undefined;
    if (!projectId) {
      return sendError(reply, 'unauthorized', match ? 'Unknown or revoked API key' : 'Send the API key as "Authorization: Bearer <key>"');
    }
    request.projectId = projectId;
  };
}
