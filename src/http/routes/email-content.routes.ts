// An email's message as sent: its rendered content (GET /v1/emails/:id/content), the same html as a
// document a sandboxed frame can show (GET /v1/emails/:id/preview) and its RFC 822 source
// (GET /v1/emails/:id/raw). Reading any of them records nothing: the open pixel is left out of the
// content and the preview, and none of them goes near the tracking endpoints.
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { TrackingSettings } from '../../tracking/index.ts';
import { AppError } from '../../shared/app-error.ts';
import { isUuid } from '../../shared/ids.ts';
import { findEmail } from '../../sending/index.ts';
import { loadCampaignContent } from '../../campaigns/index.ts';
import { readRetention } from '../../retention/index.ts';
import { findCapturedRaw, headerLines, rebuildRawMessage, renderSentContent, type SentEmail } from '../../delivery/index.ts';
import { errorResponses, UuidParam } from '../schemas.ts';
import { previewDocument, previewPolicy } from './email-preview.ts';

/** The statuses of an email a worker has composed and handed to a transport. */
const HANDED_OVER = new Set(['sent', 'delivered', 'delivery_delayed', 'bounced', 'failed']);

const RawSource = Type.Union([Type.Literal('captured'), Type.Literal('rebuilt'), Type.Literal('not_sent')], {
  description:
    '`captured`: the message the capture transport stored (no SMTP_URL), byte for byte; `rebuilt`: composed again from the stored email as the worker ' +
    'composed it (Date from its first attempt; MIME boundaries and DKIM signature differ); `not_sent`: not handed to a transport yet, shown as it would go.',
});

const Content = Type.Object({
  id: Type.String(),
  subject: Type.String(),
  from: Type.String(),
  to: Type.String(),
  cc: Type.Array(Type.String()),
  reply_to: Type.Array(Type.String()),
  html: Type.Union([Type.String(), Type.Null()], { description: 'After template rendering and link rewriting, without the open pixel.' }),
  text: Type.Union([Type.String(), Type.Null()]),
  tracking_pixel_removed: Type.Boolean({ description: 'The sent html carried an open pixel, left out here so that viewing records no open.' }),
  links: Type.Array(Type.Object({ index: Type.Integer(), url: Type.String(), tracked_url: Type.String(), hidden: Type.Boolean() }), {
    description: 'Each click-tracked link: its destination and the tracking URL in the sent copy; `hidden`: the honeypot link only machines follow.',
  }),
  headers: Type.Array(Type.Object({ name: Type.String(), value: Type.String() }), { description: 'The header section as sent, in order, unfolded.' }),
  raw_source: RawSource,
});

const PreviewQuery = Type.Object(
  { remote_images: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'Let the document load images from other hosts (default false).' })) },
  { additionalProperties: false },
);

type Loaded = { email: SentEmail; campaign: Awaited<ReturnType<typeof loadCampaignContent>> };

/**
 * Renders or rebuilds an email's message from what is stored. A stored row that does not render
 * today (written by an older version, or edited by hand) is the email's state, not a fault of this
 * request: 409 content_unavailable, and a warning naming the email, never a 500 with a stack.
 */
async function rebuilt<T>(log: FastifyBaseLogger, emailId: string, build: () => T | Promise<T>): Promise<T> {
  try {
    return await build();
  } catch (err) {
    if (err instanceof AppError) throw err;
    log.warn({ emailId, reason: err instanceof Error ? err.message : String(err) }, 'an email\'s message could not be rebuilt from its stored content');
    throw new AppError('content_unavailable', `The message of email ${emailId} cannot be rebuilt from what is stored, so it cannot be shown (the server's log has the reason)`);
  }
}

export function emailContentRoutes(db: Kysely<Database>, tracking: TrackingSettings | undefined): FastifyPluginAsyncTypebox {
  const load = async (projectId: string, id: string): Promise<Loaded> => {
    const email = isUuid(id) ? await findEmail(db, projectId, id) : undefined;
    if (!email) throw new AppError('not_found', 'No such email');
    if (email.content_removed_at) {
      const { bodies_days } = await readRetention(db, projectId);
      throw new AppError(
        'content_unavailable',
        `The content of this email was removed on ${email.content_removed_at.toISOString().slice(0, 10)}: this project keeps message bodies for ${bodies_days} days (retention). Its events are still here.`,
        { reason: 'retention', content_removed_at: email.content_removed_at.toISOString() },
      );
    }
    return { email, campaign: email.campaign_id ? await loadCampaignContent(db, email.campaign_id) : undefined };
  };
  /** The message's source and where it comes from; undefined when no transport has had it yet. */
  const rawOf = async ({ email, campaign }: Loaded, log: FastifyBaseLogger) => {
    const captured = await findCapturedRaw(db, email.project_id, email.id);
    if (captured !== undefined) return { raw: captured, source: 'captured' as const };
    if (email.first_attempt_at === null || !HANDED_OVER.has(email.status)) return undefined;
    return { raw: await rebuilt(log, email.id, () => rebuildRawMessage(email, campaign, tracking)), source: 'rebuilt' as const };
  };
  const contentOf = ({ email, campaign }: Loaded, log: FastifyBaseLogger) => rebuilt(log, email.id, () => renderSentContent(email, campaign, tracking));

  return async (app) => {
    app.get(
      '/v1/emails/:id/content',
      { schema: { summary: 'An email as sent: rendered, links rewritten, the open pixel left out, and its headers', tags: ['emails'], params: UuidParam, response: { 200: Content, 404: errorResponses[404], 409: errorResponses[409] } } },
      async (request) => {
        const loaded = await load(request.projectId, request.params.id);
        const content = await contentOf(loaded, request.log);
        const raw = await rawOf(loaded, request.log);
        const headers = headerLines(raw?.raw ?? (await rebuilt(request.log, loaded.email.id, () => rebuildRawMessage(loaded.email, loaded.campaign, tracking))));
        const { trackingPixelRemoved, ...rest } = content;
        return { id: loaded.email.id, ...rest, tracking_pixel_removed: trackingPixelRemoved, headers, raw_source: raw?.source ?? ('not_sent' as const) };
      },
    );

    app.get(
      '/v1/emails/:id/raw',
      {
        schema: {
          summary: 'An email\'s RFC 822 source as sent (message/rfc822, a download)',
          description:
            'Captured mail (no SMTP_URL) is the stored message itself; other mail is not stored as sent and is rebuilt from the email (header `Sendtrail-Raw-Source: rebuilt`): ' +
            'the same content and headers, but for its MIME boundaries and without a DKIM signature. 404 `raw_not_available` until a worker has handed the email to a transport; ' +
            '409 `content_unavailable` when what is stored of a rebuilt email no longer renders, or its body was removed by retention (`details.reason` `retention`).',
          tags: ['emails'],
          params: UuidParam,
          produces: ['message/rfc822'],
          response: { 200: Type.String({ description: 'The message (message/rfc822).' }), 404: errorResponses[404], 409: errorResponses[409] },
        },
      },
      async (request, reply) => {
        const loaded = await load(request.projectId, request.params.id);
        const raw = await rawOf(loaded, request.log);
        if (!raw) throw new AppError('raw_not_available', `This email was never handed to a transport (status ${loaded.email.status}): it has no message to show yet`);
        return reply
          .type('message/rfc822')
          .header('content-disposition', `attachment; filename="${loaded.email.id}.eml"`)
          .header('sendtrail-raw-source', raw.source)
          .header('cache-control', 'private, no-store')
          .send(raw.raw);
      },
    );

    app.get(
      '/v1/emails/:id/preview',
      {
        schema: {
          summary: 'An email\'s html as sent, as a document to show in a sandboxed frame',
          description:
            'The content\'s html (open pixel left out) under its own Content-Security-Policy: no script, no form, no plugin, and images from other hosts only with `remote_images=true`. ' +
            'Links open nowhere from the frame, so looking records no click either.',
          tags: ['emails'],
          params: UuidParam,
          querystring: PreviewQuery,
          produces: ['text/html'],
          response: { 200: Type.String({ description: 'An html document.' }), 404: errorResponses[404], 409: errorResponses[409] },
        },
      },
      async (request, reply) => {
        const loaded = await load(request.projectId, request.params.id);
        const content = await contentOf(loaded, request.log);
        return reply
          .type('text/html; charset=utf-8')
          .header('content-security-policy', previewPolicy(request.query.remote_images === 'true'))
          .header('x-content-type-options', 'nosniff')
          .header('referrer-policy', 'no-referrer')
          .header('cache-control', 'private, no-store')
          .send(previewDocument(content.html, content.text));
      },
    );
  };
}
