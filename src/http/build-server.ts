// Assembles the Fastify app: validation, OpenAPI at /docs, auth on /v1, one error shape.
import { createServer } from 'node:http';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import type { Metrics } from '../metrics/metrics.ts';
import { metricsGate, type MetricsAccess } from '../metrics/metrics-access.ts';
import { ErrorBody } from './schemas.ts';
import { errorHandler, sendError } from './error-handler.ts';
import { authenticate, SESSION_COOKIE } from './auth.ts';
import { assertStorable } from '../shared/storable-text.ts';
import { emailRoutes } from './routes/emails.routes.ts';
import { emailContentRoutes } from './routes/email-content.routes.ts';
import { emailExportRoutes } from './routes/email-export.routes.ts';
import type { TrackingSettings } from '../tracking/index.ts';
import { campaignRoutes } from './routes/campaigns.routes.ts';
import { healthRoutes } from './routes/health.routes.ts';
import { suppressionRoutes } from './routes/suppressions.routes.ts';
import { inboundRoutes } from './routes/inbound.routes.ts';
import { trackingHandler, type TrackingRouteDeps } from './routes/tracking.routes.ts';
import { unsubscribeRoutes } from './routes/unsubscribe.routes.ts';
import { eventStreamRoutes } from './routes/event-stream.routes.ts';
import { statsStreamRoutes } from './routes/stats-stream.routes.ts';
import { inboundStreamRoutes } from './routes/inbound-stream.routes.ts';
import { statsRoutes } from './routes/stats.routes.ts';
import { webApp } from './web-app.ts';
import { sessionRoutes, signInRoutes } from './routes/session.routes.ts';
import { userRoutes } from './routes/users.routes.ts';
import { systemRoutes, type SystemRouteDeps } from './routes/system.routes.ts';
import { apiKeyRoutes } from './routes/api-keys.routes.ts';
import { domainRoutes } from './routes/domains.routes.ts';
import { webhookRoutes } from './routes/webhooks.routes.ts';
import { retentionRoutes } from './routes/retention.routes.ts';
import type { EndpointSettings } from '../webhooks/index.ts';
import { OPENAPI_TAGS } from './openapi-tags.ts';
import { systemClock, type Clock } from '../accounts/index.ts';
import type { EventFeed } from '../events/index.ts';
import type { StatsFeed } from '../analytics/index.ts';
import type { InboundFeed } from '../inbound/index.ts';

export type ServerDeps = {
  db: Kysely<Database>;
  metrics: Metrics;
  logLevel?: string;
  /** Largest request body; campaigns with 100,000 inline recipients need tens of MB. */
  bodyLimitBytes?: number;
  /** Serve the /v1 API (role api); default true. */
  api?: boolean;
  /** The process's follower of the event log: serves GET /v1/events/stream when given. */
  eventFeed?: EventFeed;
  /** Live stats for GET /v1/stats/stream (the api role starts it). */
  statsFeed?: StatsFeed;
  /** Serves GET /v1/inbound/stream when given (the api role starts one). */
  inboundFeed?: InboundFeed;
  /** Serve the pixel, click and unsubscribe endpoints (role tracking). */
  tracking?: TrackingRouteDeps;
  /** How the worker adds tracking, so an email's content reads as sent (rewritten links); absent: rendered untracked. */
  sentTracking?: TrackingSettings;
  /** TRACKING_TRUSTED_PROXIES: only these may set the client IP through X-Forwarded-For. */
  trustProxy?: string[];
  /** Who may read /metrics (METRICS_ALLOWED_NETWORKS, METRICS_TOKEN); default: loopback only. */
  metricsAccess?: MetricsAccess;
  /** PUBLIC_URL: the dashboard's origin (cross-origin checks), Secure cookies when https, sign-in links. */
  publicUrl?: string;
  /** GET /v1/system and /v1/settings: the heartbeat settings, the store and the configuration (the api role gives them). */
  system?: Omit<SystemRouteDeps, 'db'>;
  /** BOUNCE_DOMAIN: the SPF and MX records of a sending domain added without a bounce domain of its own. */
  bounceDomain?: string;
  /** /v1/webhooks: the box that seals endpoint secrets and the rules their URLs must meet. */
  webhooks?: EndpointSettings;
  /** Tests age sessions, links and sign-in attempts with their own clock. */
  clock?: Clock;
  /** Tests read the server's log lines here. */
  logStream?: NodeJS.WritableStream;
};

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  let closing = false;
  // The pixel and click endpoints are answered ahead of Fastify (see tracking.routes.ts); they read
  // nothing but a signed token (verified before use) and sanitize the headers they keep themselves.
  const tracking = deps.tracking && trackingHandler(deps.tracking, { trustProxy: deps.trustProxy, isClosing: () => closing });
  const app = Fastify({
    serverFactory: (fastifyHandler) => createServer((req, res) => {
      if (!tracking?.(req, res)) fastifyHandler(req, res);
    }),
    logger: deps.logLevel && deps.logLevel !== 'silent' ? { level: deps.logLevel, ...(deps.logStream ? { stream: deps.logStream } : {}) } : false,
    bodyLimit: deps.bodyLimitBytes ?? 64 * 1024 * 1024,
    // Unknown properties are refused, not silently dropped: a typo like "replyTo" must not vanish.
    // No type coercion either: `"subject": true` is a client bug to report, not a string "true".
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: false } },
    return503OnClosing: true,
    // Click tokens carry their destination URL, so path parameters can be long.
    routerOptions: { maxParamLength: 12_000 },
    trustProxy: deps.trustProxy && deps.trustProxy.length > 0 ? deps.trustProxy : false,
    // Malformed URLs and over-long path parameters get our error shape too.
    frameworkErrors: (err, _request, reply) =>
      sendError(reply, err.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'not_found' : 'validation_error', err.message),
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('preClose', async () => {
    closing = true;
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => sendError(reply, 'not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  app.addSchema(ErrorBody);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Sendtrail API', version: '1' },
      tags: OPENAPI_TAGS,
      components: {
        securitySchemes: {
          apiKey: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'The dashboard\'s session (POST /v1/session); works on the default project.' },
        },
      },
      security: [{ apiKey: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(cookie);
  const accounts = { db: deps.db, clock: deps.clock ?? systemClock, publicUrl: (deps.publicUrl || 'http://localhost:3000').replace(/\/+$/, '') };

  // Every route but /docs refuses input that cannot be stored (NUL bytes, lone surrogates).
  await app.register(async (edge) => {
    edge.addHook('preValidation', async (request) => {
      assertStorable(request.query, 'query');
      assertStorable(request.params, 'path');
      assertStorable(request.body, 'body');
      for (const name of ['idempotency-key', 'authorization']) assertStorable(request.headers[name], `header ${name}`);
    });
    await edge.register(healthRoutes(deps.db, deps.metrics, metricsGate(deps.metricsAccess, deps.trustProxy)));
    if (deps.tracking) await edge.register(unsubscribeRoutes({ db: deps.db, keys: deps.tracking.keys }));
    if (deps.api !== false) {
      await edge.register(signInRoutes(accounts));
      await edge.register(async (v1) => {
        v1.addHook('onRequest', authenticate(deps.db, accounts));
        await v1.register(sessionRoutes(accounts));
        await v1.register(userRoutes(accounts));
        await v1.register(apiKeyRoutes(deps.db, accounts.clock));
        await v1.register(domainRoutes({ db: deps.db, bounceDomain: deps.bounceDomain, publicUrl: accounts.publicUrl }));
        if (deps.webhooks) await v1.register(webhookRoutes(deps.db, deps.webhooks, accounts.clock));
        await v1.register(emailRoutes(deps.db));
        await v1.register(emailContentRoutes(deps.db, deps.sentTracking));
        await v1.register(emailExportRoutes(deps.db));
        await v1.register(campaignRoutes(deps.db));
        await v1.register(suppressionRoutes(deps.db));
        await v1.register(inboundRoutes(deps.db));
        await v1.register(statsRoutes(deps.db));
        await v1.register(retentionRoutes(deps.db));
        if (deps.eventFeed) await v1.register(eventStreamRoutes(deps.db, deps.eventFeed));
        if (deps.statsFeed) await v1.register(statsStreamRoutes(deps.db, deps.statsFeed));
        if (deps.inboundFeed) await v1.register(inboundStreamRoutes(deps.inboundFeed));
        if (deps.system) await v1.register(systemRoutes({ db: deps.db, ...deps.system }));
      });
    }
  });
  if (deps.api !== false) await app.register(webApp());
  return app;
}
