// Who a /v1 request is: an API key (Authorization: Bearer, scoped to its project) or a dashboard
// session (the sendtrail_session cookie, working on the default project), and what a session may do.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookieSerializeOptions } from '@fastify/cookie';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { findApiKey } from '../projects/api-keys.ts';
import { createApiKeyUsage } from '../projects/api-key-usage.ts';
import { defaultProjectId } from '../projects/default-project.ts';
import { resolveSession, SESSION_ABSOLUTE_MS, type Clock, type Role, type Session } from '../accounts/index.ts';
import { sendError } from './error-handler.ts';

export type RequestAuth =
  | { kind: 'api_key'; keyId: string; keyName: string }
  | { kind: 'session'; userId: string; role: Role; sessionId: string; session: Session };

declare module 'fastify' {
  interface FastifyRequest {
    projectId: string;
    auth: RequestAuth;
  }
  interface FastifyContextConfig {
    /** A viewer's session may use this route with any method (sign out, own password). */
    allowViewer?: boolean;
  }
}

export const SESSION_COOKIE = 'sendtrail_session';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type SessionAuthOptions = { publicUrl: string; clock: Clock };

/**
 * Max-Age is the absolute lifetime, so a browser restart keeps the user signed in; the server ends
 * the session earlier when it sits idle. Secure whenever the dashboard is served over https.
 */
export function sessionCookieOptions(publicUrl: string): CookieSerializeOptions {
  return { httpOnly: true, sameSite: 'lax', path: '/', secure: publicUrl.startsWith('https:'), maxAge: SESSION_ABSOLUTE_MS / 1000 };
}

export function setSessionCookie(reply: FastifyReply, token: string, publicUrl: string): void {
  reply.setCookie(SESSION_COOKIE, token, sessionCookieOptions(publicUrl));
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: string): void {
  const { maxAge: _, ...options } = sessionCookieOptions(publicUrl);
  reply.clearCookie(SESSION_COOKIE, options);
}

export function authenticate(db: Kysely<Database>, options: SessionAuthOptions) {
  let defaultProject: Promise<string> | undefined;
  const projectOfSessions = () =>
    (defaultProject ??= defaultProjectId(db).catch((err: unknown) => {
      defaultProject = undefined;
      throw err;
    }));
  const keyUsage = createApiKeyUsage(db, options.clock);

  return async (request: FastifyRequest, reply: FastifyReply) => {
    // An Authorization header wins over a cookie: scripts keep the behaviour they had.
    const header = request.headers.authorization;
    if (header) {
      const match = /^Bearer\s+(\S{1,200})$/i.exec(header);
      const key = match ? await findApiKey(db, match[1]!) : undefined;
      if (!key) {
        return sendError(reply, 'unauthorized', match ? 'Unknown or revoked API key' : 'Send the API key as "Authorization: Bearer <key>"');
      }
      // Knowing when a key was last used is worth less than the request: a failed write only logs.
      await keyUsage.record(key.id).catch((err: unknown) => request.log.warn({ err }, 'could not record when an API key was last used'));
      request.projectId = key.projectId;
      request.auth = { kind: 'api_key', keyId: key.id, keyName: key.name };
      return;
    }
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return sendError(reply, 'unauthorized', 'Send the API key as "Authorization: Bearer <key>", or sign in');
    const refusal = crossOriginRefusal(request, options.publicUrl, { requireOriginToChange: true });
    if (refusal) return sendError(reply, 'cross_origin', refusal);
    const session = await resolveSession(db, token, options.clock);
    if (!session) {
      clearSessionCookie(reply, options.publicUrl);
      return sendError(reply, 'unauthorized', 'Not signed in: the session has ended; sign in again');
    }
    request.projectId = await projectOfSessions();
    request.auth = { kind: 'session', userId: session.userId, role: session.role, sessionId: session.id, session };
    // Known before refusing, so the audit log says which viewer tried.
    if (session.role === 'viewer' && !SAFE_METHODS.has(request.method) && !request.routeOptions.config.allowViewer) {
      return sendError(reply, 'forbidden', 'A viewer can read everything but change nothing');
    }
  };
}

/** For routes only an admin's session may use (users); API keys belong to a project, not to a person. */
export async function requireAdmin(request: FastifyRequest, reply: FastifyReply) {
  if (request.auth.kind !== 'session' || request.auth.role !== 'admin') {
    return sendError(reply, 'forbidden', 'Only an admin, signed in to the dashboard, manages users');
  }
}

/**
 * Why a cookie must not act for this request, or undefined when it may. SameSite=Lax alone is not
 * enough: browsers still send the cookie on cross-site top-level GETs, and every port of localhost
 * is the same "site", so a page of another local service would pass. Hence: a request whose Origin
 * is another origin, or that the browser marks Sec-Fetch-Site: cross-site, is refused whatever its
 * method (a GET of the live event stream included); one that changes something must also prove
 * where it comes from, by Origin or, when a browser sends none, a same-origin Referer.
 */
export function crossOriginRefusal(request: FastifyRequest, publicUrl: string, options: { requireOriginToChange: boolean }): string | undefined {
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'The browser marked this request cross-site (Sec-Fetch-Site)';
  const origin = request.headers.origin;
  if (origin !== undefined) return isOwnOrigin(origin, request, publicUrl) ? undefined : `Origin ${origin.slice(0, 200)} is not this server's`;
  if (!options.requireOriginToChange || SAFE_METHODS.has(request.method)) return undefined;
  const referer = request.headers.referer;
  if (referer !== undefined && isOwnOrigin(originOf(referer), request, publicUrl)) return undefined;
  return 'A request signed in by cookie that changes something must carry this server\'s Origin (or Referer)';
}

/**
 * The server's own origin is PUBLIC_URL's. An installation on http://localhost (the default) is also
 * reached as 127.0.0.1 or [::1], and through a development server's proxy on another port (which
 * keeps the browser's Host): there the request's own Host names the origin, as long as it is a
 * loopback one. A browser always sends the Host it connected to, so a page of another local port
 * still shows its own port in Origin, and a DNS-rebinding page shows its own (non-loopback) name in
 * Host; neither passes. Off loopback, only PUBLIC_URL counts: a Host there could be any name.
 */
function isOwnOrigin(origin: string | undefined, request: FastifyRequest, publicUrl: string): boolean {
  if (!origin) return false;
  const own = new URL(publicUrl);
  if (origin === own.origin) return true;
  if (own.protocol !== 'http:' || !isLoopbackHost(own.hostname)) return false;
  const hostOrigin = originOf(`http://${request.headers.host ?? ''}`);
  return hostOrigin !== undefined && origin === hostOrigin && isLoopbackHost(new URL(hostOrigin).hostname);
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
