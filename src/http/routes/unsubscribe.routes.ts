// Unsubscribe (RFC 8058): GET shows a confirmation page and changes nothing,
// because link scanners follow every GET; POST (one-click or the page's form) unsubscribes.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { storableHeader, unsubscribeRecipient, verifyToken } from '../../tracking/index.ts';
import { sendError } from '../error-handler.ts';

export type UnsubscribeRouteDeps = { db: Kysely<Database>; keys: readonly string[] };

const TokenParams = { type: 'object', properties: { token: { type: 'string', maxLength: 200 } }, required: ['token'] } as const;

const page = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">` +
  `<meta name="robots" content="noindex"><title>${title}</title></head>` +
  `<body style="font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem">${body}</body></html>`;

const CONFIRM = page(
  'Unsubscribe',
  '<h1>Unsubscribe?</h1><p>You will no longer receive these emails at this address.</p>' +
    '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
);
const DONE = page('Unsubscribed', '<h1>You are unsubscribed</h1><p>You will not receive these emails any more.</p>');
// A person who follows a mangled link (wrapped by a mail client, cut when copied) or one whose
// email is gone: a page that says what to do, not a JSON error. Nobody was unsubscribed.
const NOT_FOUND = {
  link: page(
    'Unsubscribe link not valid',
    '<h1>This unsubscribe link is not valid</h1><p>It may have been cut or changed on its way here: nobody was unsubscribed. ' +
      'Open the link from the email again, or reply to the email and ask to be removed from the list.</p>',
  ),
  email: page(
    'Unsubscribe link expired',
    '<h1>This unsubscribe link no longer works</h1><p>The email it came with is no longer on record: nobody was unsubscribed. ' +
      'Use the link in a more recent email, or reply to it and ask to be removed from the list.</p>',
  ),
};

/** Browsers ask for HTML; API clients and one-click POSTs from mailbox providers keep the JSON error. */
const wantsHtml = (request: FastifyRequest) => /\btext\/html\b/i.test(request.headers.accept ?? '');

function notFound(request: FastifyRequest, reply: FastifyReply, what: 'link' | 'email') {
  if (!wantsHtml(request)) return sendError(reply, 'not_found', what === 'link' ? 'No such unsubscribe link' : 'No such email');
  return reply.status(404).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(NOT_FOUND[what]);
}

export function unsubscribeRoutes(deps: UnsubscribeRouteDeps): FastifyPluginAsync {
  return async (app) => {
    // RFC 8058 section 3.1: the POST body is "List-Unsubscribe=One-Click", form-urlencoded or
    // multipart; its content does not change what we do, so any small body is accepted.
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16 * 1024 }, (_request, body, done) => done(null, body));

    app.get<{ Params: { token: string } }>('/u/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
      if (verifyToken(deps.keys, request.params.token)?.kind !== 'unsubscribe') return notFound(request, reply, 'link');
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(CONFIRM);
    });

    app.post<{ Params: { token: string } }>('/u/:token', { schema: { hide: true, params: TokenParams } }, async (request, reply) => {
      const payload = verifyToken(deps.keys, request.params.token);
      if (payload?.kind !== 'unsubscribe') return notFound(request, reply, 'link');
      const ua = storableHeader(request.headers['user-agent']);
      const found = await unsubscribeRecipient(deps.db, { emailId: payload.emailId, ua, ip: request.ip, method: 'POST' });
      if (!found) return notFound(request, reply, 'email');
      return reply.header('cache-control', 'no-store').type('text/html; charset=utf-8').send(DONE);
    });
  };
}
