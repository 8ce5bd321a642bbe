// Starts a real worker role (simulator, relay or capture transports, campaign expander) on a test store.
import { loadConfig } from '../../src/config/load-config.ts';
import type { Config } from '../../src/config/schema.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import type { Store } from '../../src/store/open-store.ts';
import { startRoles } from '../../src/roles/index.ts';

export const TEST_SECRET = 'test-secret-0123456789';

export async function startTestWorker(store: Store, env: Record<string, string> = {}, workerId = 'test-worker', humanDelayMs?: number) {
  const config: Config = loadConfig({
    SIMULATOR_RETRY_BASE_MS: '50',
    SIMULATOR_LIFETIME_MS: '600',
    RETRY_BASE_MS: '50',
    BOUNCE_DOMAIN: 'bounces.sendtrail.test',
    ...env,
  });
  const role = await startRoles(['worker'], { config, store, metrics: createMetrics(), secret: TEST_SECRET, workerId, pollMs: 50, simulatorHumanDelayMs: humanDelayMs });
  return { config, stop: role.stop };
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
