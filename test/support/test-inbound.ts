// Starts the real inbound role (SMTP server on port 0, real classifier and ingest) on a test store.
import { loadConfig } from '../../src/config/load-config.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';
import type { Store } from '../../src/store/open-store.ts';
import { startRoles } from '../../src/roles/index.ts';
import { TEST_SECRET } from './test-worker.ts';

export const TEST_BOUNCE_DOMAIN = 'bounces.sendtrail.test';
export const TEST_REPLY_DOMAIN = 'replies.sendtrail.test';

export async function startTestInbound(store: Store, projectId: string, env: Record<string, string> = {}) {
  const config = loadConfig({
    INBOUND_SMTP_PORT: '0',
    BOUNCE_DOMAIN: TEST_BOUNCE_DOMAIN,
    REPLY_DOMAIN: TEST_REPLY_DOMAIN,
    LOG_LEVEL: 'silent',
    ...env,
  });
  const role = await startRoles(['inbound'], { config, store, metrics: createMetrics(), secret: TEST_SECRET, projectId, workerId: 'test-inbound' });
  const url = role.inboundSmtpUrl!;
  return { url, port: Number(new URL(url).port), stop: role.stop, config };
}
