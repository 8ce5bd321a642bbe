// The dashboard's sign-in (issue 20): sign in by password or one-time link, the current session,
// sign out here or everywhere, and a user's own password.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import {
  changePassword, endSession, endSessionsOfUser, MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, SIGN_IN_LIMITS, signInWithLink, signInWithPassword,
  type Clock, type SignInResult, type User,
} from '../../accounts/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { sendError } from '../error-handler.ts';
import { clearSessionCookie, crossOriginRefusal, setSessionCookie } from '../auth.ts';
import { accountErrorResponses, SessionUser, sessionUserJson } from './accounts.schema.ts';
import { recordAudit } from '../../audit/index.ts';
import { requestContext, withAudit } from '../audit-trail.ts';

export type AccountRouteDeps = { db: Kysely<Database>; clock: Clock; publicUrl: string };

const limitsText =
  `At most ${SIGN_IN_LIMITS.perEmailAndNetwork} failed attempts per email from one client network, and ${SIGN_IN_LIMITS.perNetwork} per client network ` +
  `for any email or link, in ${SIGN_IN_LIMITS.windowMs / 60_000} minutes (counted by every api process together); beyond, that network gets ` +
  `429 rate_limited with Retry-After until enough failures are older than that. A client network is an IPv4 address or an IPv6 /64; ` +
  'other networks sign in as usual.';

const Password = Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH });
const NewPassword = Type.String({ maxLength: MAX_PASSWORD_LENGTH, description: `At least ${MIN_PASSWORD_LENGTH} characters (else 422 password_too_short).` });
const SignedIn = Type.Object({ user: SessionUser });
const cookieNote = 'Sets the sendtrail_session cookie (HttpOnly, SameSite=Lax, Secure when PUBLIC_URL is https).';

/** Sign-in, open to anyone: POST /v1/session and POST /v1/session/link. */
export function signInRoutes(deps: AccountRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    // A foreign page must not sign a visitor in to an account of its choosing (login CSRF).
    app.addHook('onRequest', async (request) => {
      const refusal = crossOriginRefusal(request, deps.publicUrl, { requireOriginToChange: false });
      if (refusal) throw new AppError('cross_origin', refusal);
    });

    app.post('/v1/session', {
      schema: {
        summary: 'Sign in to the dashboard with email and password',
        description: `${cookieNote} A wrong email and a wrong password get the same 401 invalid_credentials. ${limitsText}`,
        tags: ['session'],
        security: [],
        body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 320 }), password: Password }, { additionalProperties: false }),
        response: { 200: SignedIn, ...accountErrorResponses },
      },
    }, async (request, reply) => {
      const result = await signInWithPassword(deps, { ...request.body, ip: request.ip }, recordSignIn(request, 'password'));
      if (result.kind === 'refused') await recordSignInRefused(deps, request, 'password', 'invalid_credentials', request.body.email);
      return answerSignIn(reply, result, deps.publicUrl, new AppError('invalid_credentials', 'The email or password is not right'));
    });

    app.post('/v1/session/link', {
      schema: {
        summary: 'Sign in with a one-time sign-in link',
        description: `The token is the part after #link= of a link printed at the first start, by \`sendtrail users create\` or returned by POST /v1/users; it works once, within 24 hours. ${cookieNote} ${limitsText}`,
        tags: ['session'],
        security: [],
        body: Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
        response: { 200: SignedIn, ...accountErrorResponses },
      },
    }, async (request, reply) => {
      const result = await signInWithLink(deps, { token: request.body.token, ip: request.ip }, recordSignIn(request, 'link'));
      if (result.kind === 'refused') await recordSignInRefused(deps, request, 'link', 'invalid_link');
      return answerSignIn(reply, result, deps.publicUrl, new AppError('invalid_link', 'This sign-in link is unknown, used already or expired'));
    });
  };
}

/** The record of a sign-in, written with its session. */
function recordSignIn(request: FastifyRequest, method: 'password' | 'link') {
  return (trx: Kysely<Database>, user: User) => recordAudit(trx, {
    ...requestContext(request),
    actor: { type: 'user', id: user.id, label: user.email },
    action: 'user.sign_in',
    target: { type: 'user', id: user.id },
    details: { method },
  });
}

// Who tried is the email typed, when it looks like one (never a password typed in the wrong field).
const TYPED_EMAIL = /^[^\s@]{1,64}@[^\s@]{1,253}$/;

async function recordSignInRefused(deps: AccountRouteDeps, request: FastifyRequest, method: 'password' | 'link', reason: string, typedEmail?: string) {
  const email = typedEmail?.trim().toLowerCase();
  await recordAudit(deps.db, {
    ...requestContext(request),
    actor: { type: 'user', id: null, ...(email && TYPED_EMAIL.test(email) ? { label: email } : {}) },
    action: 'user.sign_in_failed',
    outcome: 'denied',
    reason,
    details: { method },
  }).catch((err: unknown) => request.log.error({ err }, 'could not record a refused sign-in in the audit log'));
}

function answerSignIn(reply: FastifyReply, result: SignInResult, publicUrl: string, refusal: AppError) {
  if (result.kind === 'rate_limited') return sendRateLimited(reply, result.retryAfterSeconds);
  if (result.kind === 'refused') throw refusal;
  setSessionCookie(reply, result.token, publicUrl);
  return reply.send({ user: sessionUserJson(result.user) });
}

function sendRateLimited(reply: FastifyReply, retryAfterSeconds: number) {
  reply.header('retry-after', String(retryAfterSeconds));
  return sendError(reply, 'rate_limited', `Too many failed sign-in attempts: retry in ${retryAfterSeconds} seconds`);
}

function sessionOf(request: FastifyRequest) {
  if (request.auth.kind !== 'session') throw new AppError('unauthorized', 'This request is authenticated by an API key, not a dashboard session');
  return request.auth;
}

/** The signed-in user's session: behind authentication, open to viewers. */
export function sessionRoutes(deps: AccountRouteDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.get('/v1/session', {
      schema: {
        summary: 'The signed-in user and their session',
        tags: ['session'],
        response: {
          200: Type.Object({
            user: SessionUser,
            session: Type.Object({
              created_at: Type.String({ format: 'date-time' }),
              expires_at: Type.String({ format: 'date-time', description: 'When the session ends if it is not used again: 12 hours after its last use, 7 days after sign-in at the latest.' }),
            }),
          }),
          ...accountErrorResponses,
        },
      },
    }, async (request) => {
      const { session } = sessionOf(request);
      return {
        user: sessionUserJson({ id: session.userId, email: session.email, role: session.role, hasPassword: session.hasPassword }),
        session: { created_at: session.createdAt.toISOString(), expires_at: session.endsAt.toISOString() },
      };
    });

    app.delete('/v1/session', {
      config: { allowViewer: true },
      schema: { summary: 'Sign out: end this session', tags: ['session'], response: { 204: Type.Null(), ...accountErrorResponses } },
    }, async (request, reply) => {
      const auth = sessionOf(request);
      await withAudit(deps.db, request, (trx) => endSession(trx, auth.sessionId), () => ({
        action: 'user.sign_out', target: { type: 'user', id: auth.userId }, details: { everywhere: false },
      }));
      clearSessionCookie(reply, deps.publicUrl);
      return reply.status(204).send(null);
    });

    app.delete('/v1/sessions', {
      config: { allowViewer: true },
      schema: { summary: 'Sign out everywhere: end every session of the signed-in user', tags: ['session'], response: { 204: Type.Null(), ...accountErrorResponses } },
    }, async (request, reply) => {
      const auth = sessionOf(request);
      await withAudit(deps.db, request, (trx) => endSessionsOfUser(trx, auth.userId), () => ({
        action: 'user.sign_out', target: { type: 'user', id: auth.userId }, details: { everywhere: true },
      }));
      clearSessionCookie(reply, deps.publicUrl);
      return reply.status(204).send(null);
    });

    app.put('/v1/session/password', {
      config: { allowViewer: true, audit: 'user.password_change' },
      schema: {
        summary: 'Set or change the signed-in user\'s password',
        description: 'current_password is required once the user has a password (403 wrong_password when it is not right; its guesses count like sign-in attempts). The user\'s other sessions end.',
        tags: ['session'],
        body: Type.Object({ current_password: Type.Optional(Password), new_password: NewPassword }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...accountErrorResponses },
      },
    }, async (request, reply) => {
      const auth = sessionOf(request);
      const result = await changePassword(deps, {
        userId: auth.userId,
        sessionId: auth.sessionId,
        currentPassword: request.body.current_password,
        newPassword: request.body.new_password,
        ip: request.ip,
      }, (trx, hadPassword) => recordAudit(trx, {
        ...requestContext(request), action: 'user.password_change', target: { type: 'user', id: auth.userId }, details: { had_password: hadPassword },
      }));
      if (result.kind === 'rate_limited') return sendRateLimited(reply, result.retryAfterSeconds);
      return reply.status(204).send(null);
    });
  };
}
