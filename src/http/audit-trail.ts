// Owns how requests reach the audit log: who made one (a user's session, an API key), from where,
// a change and its record in one transaction (withAudit), and a refusal of an audited route
// recorded as denied (401, 403) or failed (any other error) with its error code.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import { recordAudit, type AuditAction, type AuditActor, type AuditEntry } from '../audit/index.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The action this route performs: its refusals are recorded in the audit log. */
    audit?: AuditAction;
  }
}

/** What the record says of the request itself: who, from where, in which project. */
export function requestContext(request: FastifyRequest): Pick<AuditEntry, 'actor' | 'ip' | 'userAgent' | 'projectId'> {
  return { actor: actorOf(request), ip: request.ip, userAgent: request.headers['user-agent'], projectId: request.projectId };
}

function actorOf(request: FastifyRequest): AuditActor {
  const auth = request.auth as FastifyRequest['auth'] | undefined;
  if (auth?.kind === 'session') return { type: 'user', id: auth.userId, label: auth.session.email };
  if (auth?.kind === 'api_key') return { type: 'api_key', id: auth.keyId, label: auth.keyName };
  return { type: 'user', id: null };
}

export type Recorded = Omit<AuditEntry, 'actor' | 'ip' | 'userAgent' | 'projectId'>;

/**
 * Runs a change and writes its record in the same transaction: the change never commits without it.
 * The use case must take the transaction (`trx`) for every write it makes.
 */
export async function withAudit<T>(
  db: Kysely<Database>,
  request: FastifyRequest,
  change: (trx: Kysely<Database>) => Promise<T>,
  describe: (result: T) => Recorded,
): Promise<T> {
  return transact(db, async (trx) => {
    const result = await change(trx);
    await recordAudit(trx, { ...requestContext(request), ...describe(result) });
    return result;
  });
}

/** A record of something read (content, raw message): nothing changed, so no transaction to share. */
export async function recordRead(db: Kysely<Database>, request: FastifyRequest, recorded: Recorded): Promise<void> {
  await recordAudit(db, { ...requestContext(request), ...recorded });
}

/**
 * onSend: an audited route that answered an error is recorded as refused. Only for an identified
 * caller (a key or a session: a viewer's 403 is one): anonymous 401s would let anyone fill the log,
 * and a sign-in's refusals are recorded by the sign-in routes. A 429 is not recorded: it repeats a
 * refusal already recorded, at the rate a client chooses.
 */
export function recordRefusals(db: Kysely<Database>) {
  return async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const action = request.routeOptions.config?.audit;
    const status = reply.statusCode;
    if (!action || status < 400 || status === 429 || !(request.auth as unknown)) return payload;
    try {
      await recordAudit(db, {
        ...requestContext(request),
        action,
        outcome: status === 401 || status === 403 ? 'denied' : 'failed',
        reason: reply.errorCode ?? `http_${status}`,
        target: targetOfParams(request),
      });
    } catch (err) {
      request.log.error({ err }, 'could not record a refused request in the audit log');
    }
    return payload;
  };
}

function targetOfParams(request: FastifyRequest): AuditEntry['target'] {
  const params = request.params as Record<string, string> | undefined;
  const id = params?.id ?? params?.email;
  const type = request.routeOptions.config?.audit?.split('.')[0];
  return id && type ? { type, id } : undefined;
}
