// GET /v1/audit: the installation's audit log, newest first, for admins signed in to the dashboard.
// Not for API keys: a key belongs to one project, the log to the whole installation (its users,
// every project's keys and settings).
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { AUDIT_ACTIONS, AUDIT_ACTOR_TYPES, AUDIT_OUTCOMES, selectAuditPage, type AuditRow } from '../../audit/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { sendError } from '../error-handler.ts';
import { ErrorBody, LimitParam, errorResponses, parseLimit } from '../schemas.ts';

const literals = <T extends string>(values: readonly T[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Time = Type.String({ format: 'date-time', maxLength: 40 });

const AuditEntry = Type.Object({
  id: Type.String({ description: 'The row\'s place in the chain (a decimal integer); also the cursor.' }),
  created_at: Type.String({ format: 'date-time' }),
  actor: Type.Object({
    type: literals(AUDIT_ACTOR_TYPES),
    id: Type.Union([Type.String(), Type.Null()], { description: 'The user\'s or API key\'s id; null for the system, or a sign-in refused for an email no user has.' }),
    label: Type.Union([Type.String(), Type.Null()], { description: 'The user\'s email, the key\'s name, or the email typed at a refused sign-in.' }),
  }),
  action: Type.String({ description: `A dotted name: ${AUDIT_ACTIONS.join(', ')}.` }),
  target: Type.Union([Type.Object({ type: Type.String(), id: Type.String() }), Type.Null()]),
  outcome: literals(AUDIT_OUTCOMES),
  reason: Type.Union([Type.String(), Type.Null()], { description: 'The error code when the outcome is denied or failed.' }),
  project_id: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  user_agent: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'Only the fields the action allows (never a password, token, key or secret).' }),
  hash: Type.String({ description: 'SHA-256 (hex) over the previous row\'s hash and this row; `sendtrail audit verify` checks the chain.' }),
});

const Query = Type.Object({
  actor: Type.Optional(Type.String({ maxLength: 200, description: 'A user\'s or API key\'s id.' })),
  actor_type: Type.Optional(literals(AUDIT_ACTOR_TYPES)),
  action: Type.Optional(literals(AUDIT_ACTIONS)),
  target_type: Type.Optional(Type.String({ maxLength: 100 })),
  target: Type.Optional(Type.String({ maxLength: 320, description: 'The target\'s id (an address for a suppression).' })),
  outcome: Type.Optional(literals(AUDIT_OUTCOMES)),
  from: Type.Optional(Time),
  to: Type.Optional(Time),
  limit: Type.Optional(LimitParam),
  cursor: Type.Optional(Type.String({ maxLength: 20 })),
}, { additionalProperties: false });

export const auditEntryJson = (r: AuditRow) => ({
  id: r.seq,
  created_at: r.created_at.toISOString(),
  actor: { type: r.actor_type as 'user', id: r.actor_id, label: r.actor_label },
  action: r.action,
  target: r.target_type && r.target_id ? { type: r.target_type, id: r.target_id } : null,
  outcome: r.outcome as 'success',
  reason: r.reason,
  project_id: r.project_id,
  ip: r.ip,
  user_agent: r.user_agent,
  details: r.details,
  hash: r.hash,
});

async function requireAdminSession(request: FastifyRequest, reply: FastifyReply) {
  if (request.auth.kind !== 'session' || request.auth.role !== 'admin') {
    return sendError(reply, 'forbidden', 'Only an admin, signed in to the dashboard, reads the audit log (it is the installation\'s, and an API key is a project\'s)');
  }
}

function timeOf(value: string | undefined, name: string): Date | undefined {
  if (value === undefined) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) throw new AppError('validation_error', `${name} is not a date-time`, [{ path: `/${name}`, message: 'not a date-time' }]);
  return at;
}

export function auditRoutes(db: Kysely<Database>): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/audit', {
      onRequest: requireAdminSession,
      schema: {
        summary: 'The audit log, newest first',
        description: 'Who (a dashboard user, an API key, the system) did what to what, with what outcome, when and from where. ' +
          'Pages of at most `limit` entries; follow `next_cursor` until it is null. Each filter reads one index range, so a page costs the same however long the log. ' +
          'Only an admin\'s dashboard session may read it: 403 for a viewer and for API keys (a key belongs to a project, the log to the installation).',
        tags: ['audit'],
        querystring: Query,
        response: { 200: Type.Object({ data: Type.Array(AuditEntry), next_cursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses, 403: ErrorBody },
      },
    }, async (request) => {
      const q = request.query;
      const limit = parseLimit(q.limit, 50);
      if (q.cursor !== undefined && !/^[0-9]{1,19}$/.test(q.cursor)) throw new AppError('validation_error', 'cursor is not one this API gave');
      const from = timeOf(q.from, 'from');
      const to = timeOf(q.to, 'to');
      const rows = await selectAuditPage(db, {
        actorId: q.actor, actorType: q.actor_type, action: q.action, targetType: q.target_type, targetId: q.target, outcome: q.outcome, from, to,
      }, q.cursor === undefined ? undefined : BigInt(q.cursor), limit + 1);
      const page = rows.slice(0, limit);
      return { data: page.map(auditEntryJson), next_cursor: rows.length > limit ? page.at(-1)!.seq : null };
    });
  };
}
