// Starting and stopping the roles of one process, as `sendtrail start --roles` does.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config/load-config.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { ensureDefaultProject } from '../projects/default-project.ts';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { parseRoles, startRoles, type RoleContext } from './index.ts';

/** Resolves with the server's greeting line, or rejects when nothing listens. */
function smtpGreeting(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: hostname, port: Number(port) });
    socket.once('data', (data) => (socket.end(), resolve(data.toString('utf8'))));
    socket.once('error', reject);
  });
}

describe('starting roles', () => {
  let store: TestStore | undefined;
  let dataDir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    store = dataDir = undefined;
  });

  async function context(env: Record<string, string> = {}): Promise<RoleContext> {
    store = await createTestStore('pglite');
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-roles-'));
    const { projectId } = await ensureDefaultProject(store.db);
    const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', INBOUND_SMTP_PORT: '0', INBOUND_HOST: '127.0.0.1', SENDTRAIL_DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
    return { config, store, secret: 'roles-test-secret', projectId, metrics: createMetrics(), workerId: 'roles-test' };
  }

  it('runs every role in one process: API and tracking on one port, inbound SMTP beside it; stop() closes both', async () => {
    const running = await startRoles(parseRoles(undefined), await context());
    const health = await fetch(`${running.url}/healthz`);
    expect(health.status).toBe(200);
    const unauthenticated = await fetch(`${running.url}/v1/emails`);
    expect(unauthenticated.status).toBe(401);
    // A forged pixel token: the tracking endpoint answers on the same port (a GIF, never an error page).
    const pixel = await fetch(`${running.url}/t/o/forged-token`);
    expect(pixel.headers.get('content-type')).toBe('image/gif');
    expect(await smtpGreeting(running.inboundSmtpUrl!)).toMatch(/^220 /);

    await running.stop();
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    await expect(smtpGreeting(running.inboundSmtpUrl!)).rejects.toThrow();
  });

  it('serves only what the roles ask for: tracking alone has no API', async () => {
    const running = await startRoles(['tracking'], await context());
    expect((await fetch(`${running.url}/v1/emails`)).status).toBe(404);
    expect(running.inboundSmtpUrl).toBeUndefined();
    await running.stop();
  });

  it('stops what had started when a later role fails to start: the spool is free for the next try', async () => {
    const ctx = await context({ INBOUND_TLS_KEY_FILE: '/nonexistent/key.pem', INBOUND_TLS_CERT_FILE: '/nonexistent/cert.pem' });
    await expect(startRoles(['tracking', 'inbound'], ctx)).rejects.toThrow(/key\.pem/);
    const retry = await startRoles(['tracking'], ctx);
    await retry.stop();
  });

  it('names the roles there are when asked for another', () => {
    expect(parseRoles('api, worker')).toEqual(['api', 'worker']);
    expect(() => parseRoles('api,mailer')).toThrow('unknown role "mailer"; roles: api, tracking, worker, inbound, scheduler');
    expect(parseRoles('scheduler')).toEqual(['scheduler']);
  });
});
