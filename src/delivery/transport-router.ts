// Chooses the transport for a recipient: the simulator for @simulator.test, else the relay, else capture.
import type { Config } from '../config/schema.ts';
import { SIMULATOR_DOMAIN } from './simulator/simulator-behaviours.ts';
import { createCaptureTransport } from './transports/capture-transport.ts';
import { createSmtpTransport } from './transports/smtp-transport.ts';
import { startSmtpThread } from './transports/smtp-thread-client.ts';
import type { Transport } from './transports/transport.ts';
import type { RetryPolicy } from './retry-policy.ts';

export type TransportRouter = { forDomain(domain: string): Transport; close(): Promise<void> };

/** How mail through the relay (SMTP_URL) is retried: outgoing email and forwarded replies alike. */
export function relayRetryPolicyOf(config: Config): RetryPolicy {
  return { baseMs: config.RETRY_BASE_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS, lifetimeMs: config.MAX_DELIVERY_LIFETIME_MS };
}

export function createTransportRouter(config: Config, simulatorUrl: string): TransportRouter {
  // Composing and sending mail off the main thread, where PGlite runs the database (issue 2, part 10).
  const thread = config.SMTP_THREAD ? startSmtpThread({ maxOldGenerationSizeMb: config.SMTP_THREAD_HEAP_MB }) : undefined;
  const simulator = createSmtpTransport({
    name: 'simulator',
    url: simulatorUrl,
    poolSize: config.SMTP_POOL_SIZE,
    isFinalHop: true,
    requestDsn: false,
    retry: { baseMs: config.SIMULATOR_RETRY_BASE_MS, maxDelayMs: config.SIMULATOR_RETRY_BASE_MS * 4, lifetimeMs: config.SIMULATOR_LIFETIME_MS },
  }, thread);
  const outbound = config.SMTP_URL
    ? createSmtpTransport({
        name: 'relay',
        url: config.SMTP_URL,
        poolSize: config.SMTP_POOL_SIZE,
        isFinalHop: false,
        requestDsn: true,
        retry: relayRetryPolicyOf(config),
      }, thread)
    : createCaptureTransport();
  return {
    forDomain: (domain) => (domain === SIMULATOR_DOMAIN ? simulator : outbound),
    async close() {
      await Promise.all([simulator.close(), outbound.close()]);
      await thread?.close();
    },
  };
}
