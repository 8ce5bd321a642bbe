// The worker role: the mailbox simulator (an SMTP server for @simulator.test), the transports, and
// four background tasks: the delivery worker (claims due emails and sends them), the webhook
// sender (claims due deliveries and posts them), the campaign expander (turns staged recipients
// into emails) and the expiry of idempotency keys.
import { inboundSmtpUrlOf, publicUrlOf } from '../config/public-urls.ts';
import { createDkimSigner, createMessageSigner, createRelayMailer, createTransportRouter, startDeliveryWorker, startSimulatorServer, watchDomainChanges } from '../delivery/index.ts';
import { loadCampaignContent, startCampaignExpander } from '../campaigns/index.ts';
import { startIdempotencyKeyExpiry } from '../sending/index.ts';
import { trackingSettingsOf } from './tracking-settings.ts';
import { createPoster, startWebhookSender } from '../webhooks/index.ts';
import { webhookSettingsOf } from './webhook-settings.ts';
import { createAdminNotifier } from '../accounts/index.ts';
import type { Role } from './role.ts';

// Every deployment runs a worker, and a sweep by several is harmless.
const KEY_EXPIRY_SWEEP_MS = 10 * 60_000;

export const workerRole: Role = {
  name: 'worker',
  async start(ctx, parts) {
    const { config, store, log } = ctx;
    const simulator = await startSimulatorServer({
      world: {
        publicUrl: publicUrlOf(config),
        inboundSmtpUrl: ctx.inboundSmtpUrl ?? inboundSmtpUrlOf(config),
        replyDomain: config.REPLY_DOMAIN,
        humanDelayMs: ctx.simulatorHumanDelayMs,
        log,
      },
    });
    parts.add('mailbox simulator', () => simulator.close());
    // Domains added or removed over the API while this worker runs are signed (or not) at once.
    const dkim = createDkimSigner(store.db);
    parts.add('DKIM domain changes', await watchDomainChanges(store.notifier, dkim));
    const transports = createTransportRouter(config, simulator.url);
    parts.add('transports', () => transports.close());
    const delivery = await startDeliveryWorker({
      db: store.db,
      notifier: store.notifier,
      transports,
      metrics: ctx.metrics,
      workerId: ctx.workerId,
      secret: ctx.secret,
      bounceDomain: config.BOUNCE_DOMAIN,
      softBounceSuppressCount: config.SOFT_BOUNCE_SUPPRESS_COUNT,
      concurrency: config.WORKER_CONCURRENCY,
      batchSize: config.CLAIM_BATCH_SIZE,
      leaseMs: config.LEASE_MS,
      domainConcurrency: config.DOMAIN_CONCURRENCY,
      loadCampaign: (id) => loadCampaignContent(store.db, id),
      sign: createMessageSigner(dkim),
      log,
      pollMs: ctx.pollMs,
      tracking: trackingSettingsOf(config, ctx.secret),
    });
    parts.add('delivery worker', () => delivery.stop());
    // Webhooks are sent by the workers: like emails, a queue that scales out with them, whose
    // leases the processes' heartbeats take over from a dead one.
    const hooks = webhookSettingsOf(config, ctx.secret, ctx.webhookResolver);
    // Admins are told by email of an endpoint disabled when a relay is configured.
    const mailer = config.SMTP_URL ? createRelayMailer(config.SMTP_URL, `Sendtrail <postmaster@${config.REPLY_DOMAIN}>`) : undefined;
    if (mailer) parts.add('admin mailer', () => mailer.close());
    const notifyAdmins = mailer && createAdminNotifier(store.db, mailer.send);
    const webhooks = await startWebhookSender({
      db: store.db,
      notifier: store.notifier,
      poster: createPoster({ policy: hooks.policy, resolver: hooks.resolver, connectTimeoutMs: config.WEBHOOK_CONNECT_TIMEOUT_MS, timeoutMs: config.WEBHOOK_TIMEOUT_MS }),
      box: hooks.box,
      holder: ctx.workerId,
      concurrency: config.WEBHOOK_CONCURRENCY,
      pollMs: ctx.pollMs,
      log,
      onEndpointDisabled: notifyAdmins && (async (endpoint, reason) => {
        await notifyAdmins(`Sendtrail: webhook endpoint disabled: ${endpoint.url}`, [
          `Sendtrail stopped sending webhooks to ${endpoint.url}: ${reason}.`,
          'Its pending deliveries were given up. Fix the receiver, then enable the endpoint again (PATCH /v1/webhooks/{id} with enabled: true, or the Webhooks page) and replay what it missed.',
          '',
          `${publicUrlOf(config).replace(/\/+$/, '')}/webhooks?endpoint=${endpoint.id}`,
        ].join('\n'));
      }),
    });
    parts.add('webhook sender', () => webhooks.stop());
    const expander = await startCampaignExpander({ db: store.db, notifier: store.notifier, log, pollMs: ctx.pollMs });
    parts.add('campaign expander', () => expander.stop());
    const keyExpiry = startIdempotencyKeyExpiry({ db: store.db, intervalMs: KEY_EXPIRY_SWEEP_MS, log });
    parts.add('idempotency-key expiry', () => keyExpiry.stop());
    return {};
  },
};
