// Starts the real inbound role (SMTP server on port 0, real classifier and ingest) on a test store.
import { loadConfig } from '../../src/config/load-config.ts';
import type { Store } from '../../src/store/open-store.ts';
import { startInboundRole } from '../../src/main.ts';
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
  const role = await startInboundRole({ config, store, secret: TEST_SECRET, projectId });
  return { ...role, config };
}
