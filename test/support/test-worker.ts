// Starts a real delivery worker (simulator, relay or capture transports) on a test store.
import { loadConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import type { Store } from '../../src/store/open-store.ts';
import {
  createTransportRouter,
  startDeliveryWorker,
  startSimulatorServer,
} from '../../src/delivery/index.ts';
import { createMessageSigner } from '../../src/delivery/sign-message.ts';
import { loadCampaignContent, startCampaignExpander } from '../../src/campaigns/index.ts';

export const TEST_SECRET = 'test-secret-0123456789';

export async function startTestWorker(store: Store, env: Record<string, string> = {}, workerId = 'test-worker') {
  const config: Config = loadConfig({
    SIMULATOR_RETRY_BASE_MS: '50',
    SIMULATOR_LIFETIME_MS: '600',
    RETRY_BASE_MS: '50',
    BOUNCE_DOMAIN: 'bounces.sendtrail.test',
    ...env,
  });
  const simulator = await startSimulatorServer();
  const transports = createTransportRouter(config, simulator.url);
  const worker = await startDeliveryWorker({
    db: store.db,
    notifier: store.notifier,
    transports,
    metrics: createMetrics(),
    workerId,
    secret: TEST_SECRET,
    bounceDomain: config.BOUNCE_DOMAIN,
    concurrency: config.WORKER_CONCURRENCY,
    batchSize: config.CLAIM_BATCH_SIZE,
    leaseMs: config.LEASE_MS,
    domainConcurrency: config.DOMAIN_CONCURRENCY,
    loadCampaign: (id) => loadCampaignContent(store.db, id),
    sign: createMessageSigner(store.db),
    pollMs: 50,
  });
  const expander = await startCampaignExpander({ db: store.db, notifier: store.notifier, pollMs: 50 });
  return {
    config,
    async stop() {
      await expander.stop();
      await worker.stop();
      await transports.close();
      await simulator.close();
    },
  };
}

/** Polls until `check` returns a truthy value (or fails after `timeoutMs`). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
