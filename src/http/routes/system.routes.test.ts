// GET /v1/system (processes, queue, store: anyone signed in, and API keys) and GET /v1/settings
// (the configuration, admins only): what they show, and that no secret is ever in them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createDashboardApp, PASSWORD, type DashboardApp } from '../../../test/support/dashboard-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { describeConfig, loadConfig } from '../../config/load-config.ts';
import { groupConfig } from '../../config/format-config.ts';
import { storeSummaryOf } from '../../roles/system-info.ts';
import { claimDueEmails } from '../../delivery/queue.repository.ts';
import { claimDueForwards } from '../../inbound/forward/reply-forwards.repository.ts';
import { claimDueDeliveries } from '../../webhooks/sending/deliveries.repository.ts';
import { registerProcess } from '../../processes/processes.repository.ts';
import { defaultProjectId } from '../../projects/default-project.ts';
import { newId } from '../../shared/ids.ts';

// Each secret is a text found nowhere else, so finding it anywhere in an answer is a leak.
const SECRETS = {
  smtp: 'smtpPassw0rdLeak',
  database: 'dbPassw0rdLeak',
  apiKey: 'st_settingsApiKeyLeak_0123456789',
  admin: 'adminPassw0rdLeakLong',
  tracking: 'trackingKeyLeak',
  metrics: 'metricsTokenLeak',
  secret: 'installationSecretLeak',
};
const ENV = {
  PORT: '3456',
  SMTP_URL: `smtp://mailer:${SECRETS.smtp}@relay.example.com:587`,
  DATABASE_URL: `postgres://sendtrail:${SECRETS.database}@db.internal:6543/mail?sslmode=require`,
  SENDTRAIL_API_KEY: SECRETS.apiKey,
  SENDTRAIL_ADMIN_EMAIL: 'ops@example.com',
  SENDTRAIL_ADMIN_PASSWORD: SECRETS.admin,
  TRACKING_KEYS: `${SECRETS.tracking},older`,
  METRICS_TOKEN: SECRETS.metrics,
  SENDTRAIL_SECRET: SECRETS.secret,
  PROCESS_LOST_AFTER_MS: '20000',
};

describe.each(STORE_KINDS)('system and settings on %s', (kind) => {
  let t: DashboardApp;
  let admin: string;
  let viewer: string;
  const config = loadConfig(ENV);
  beforeAll(async () => {
    t = await createDashboardApp(kind, {
      system: { heartbeatMs: 5000, lostAfterMs: 20_000, store: storeSummaryOf(config, 'postgres'), settings: () => groupConfig(describeConfig(config, ENV)) },
    });
    await t.addUser('root@example.org', 'admin', PASSWORD);
    await t.addUser('view@example.org', 'viewer', PASSWORD);
    admin = await t.signIn('root@example.org');
    viewer = await t.signIn('view@example.org');
  });
  afterAll(async () => t?.close());

  const get = (url: string, who: string) => (who.startsWith('st_') ? t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${who}` } }) : t.asBrowser(who, { method: 'GET', url }));

  it('lists each process with its roles, version, host, pid and heartbeat, alive or lost, and the queue', async () => {
    const db = t.store.db;
    await registerProcess(db, { id: 'web-2:9:def', roles: ['worker'], version: '0.1.0', host: 'web-2', pid: 9, storeKind: 'postgres' });
    // Started later: listed first.
    await sql`UPDATE processes SET started_at = now() - interval '1 hour'`.execute(db);
    await registerProcess(db, { id: 'web-1:7:abc', roles: ['api', 'worker'], version: '0.1.0', host: 'web-1', pid: 7, storeKind: 'postgres' });
    await sql`UPDATE processes SET heartbeat_at = now() - interval '1 minute' WHERE id = 'web-2:9:def'`.execute(db);
    const projectId = await defaultProjectId(db);
    const email = (status: string, dueInMs: number | null) => {
      const id = newId();
      return { id, project_id: projectId, from_address: 'a@example.com', to_address: `${id}@example.org`, subject: 's', text: 't', status, priority: 0, next_attempt_at: dueInMs === null ? null : new Date(Date.now() + dueInMs), message_id: `<${id}@x>` };
    };
    await db.insertInto('emails').values([email('queued', -1000), email('queued', -1000), email('queued', -1000), email('scheduled', 3_600_000), email('delivery_delayed', 60_000)]).execute();
    await claimDueEmails(db, 'web-1:7:abc', 1, 120_000);

    for (const who of [viewer, t.apiKey]) {
      const res = await get('/v1/system', who);
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.processes).toEqual([
        expect.objectContaining({ id: 'web-1:7:abc', roles: ['api', 'worker'], version: '0.1.0', host: 'web-1', pid: 7, state: 'alive', stopped_at: null }),
        expect.objectContaining({ id: 'web-2:9:def', roles: ['worker'], state: 'lost' }),
      ]);
      expect(body.processes[0].heartbeat_age_ms).toBeLessThan(10_000);
      expect(body.processes[1].heartbeat_age_ms).toBeGreaterThanOrEqual(59_000);
      expect(body.queue).toEqual({ queued: 3, scheduled: 1, retrying: 1, due: 2, due_capped: false, held: 1 });
      expect(body).toMatchObject({ heartbeat_ms: 5000, lost_after_ms: 20_000 });
    }
    expect((await t.app.inject({ method: 'GET', url: '/v1/system' })).statusCode).toBe(401);
  });

  it('says which process holds each lease: the emails and webhook deliveries its worker sends and the replies its inbound role forwards', async () => {
    const db = t.store.db;
    await sql`DELETE FROM processes; DELETE FROM emails`.execute(db);
    await registerProcess(db, { id: 'mx-1:3:fed', roles: ['inbound'], version: '0.1.0', host: 'mx-1', pid: 3, storeKind: 'postgres' });
    await registerProcess(db, { id: 'web-1:7:abc', roles: ['worker'], version: '0.1.0', host: 'web-1', pid: 7, storeKind: 'postgres' });
    const projectId = await defaultProjectId(db);
    const replies = [newId(), newId()];
    await db.insertInto('inbound_messages').values(replies.map((id) => ({
      id, project_id: projectId, email_id: null, kind: 'reply', mail_from: 'reader@example.org', rcpt_to: ['r@replies.example'], from_header: null, subject: null,
      content_hash: id, size_bytes: 10, error: null, raw: Buffer.from('reply'), forward_state: 'pending' as const, forward_next_at: new Date(Date.now() - 1000),
    }))).execute();
    const id = newId();
    await db.insertInto('emails').values({ id, project_id: projectId, from_address: 'a@example.com', to_address: 'b@example.org', subject: 's', text: 't', status: 'queued', priority: 0, next_attempt_at: new Date(Date.now() - 1000), message_id: `<${id}@x>` }).execute();
    const endpointId = newId();
    await db.insertInto('webhook_endpoints').values({ id: endpointId, project_id: projectId, url: 'https://hooks.example.com/in', secret_sealed: 'sealed' }).execute();
    await db.insertInto('webhook_deliveries').values([1, 2, 3].map((n) => ({
      id: newId(), endpoint_id: endpointId, project_id: projectId, event_type: 'email.sent', payload: JSON.stringify({ n }), next_attempt_at: new Date(Date.now() - 1000),
    }))).execute();
    await claimDueForwards(db, 'mx-1:3:fed', 10, 600_000);
    await claimDueEmails(db, 'web-1:7:abc', 10, 120_000);
    await claimDueDeliveries(db, 10, 600_000, 'web-1:7:abc');

    const leases = Object.fromEntries((await get('/v1/system', viewer)).json().processes.map((p: { id: string; leases: unknown }) => [p.id, p.leases]));
    expect(leases).toEqual({
      'mx-1:3:fed': { emails: 0, reply_forwards: 2, webhook_deliveries: 0 },
      'web-1:7:abc': { emails: 1, reply_forwards: 0, webhook_deliveries: 3 },
    });
  });

  it('says where the store is without its password', async () => {
    const body = (await get('/v1/system', viewer)).json();
    expect(body.store).toEqual({ kind: 'postgres', host: 'db.internal', port: 6543, database: 'mail', user: 'sendtrail', fsync: true });
    expect(storeSummaryOf({ DATABASE_URL: '', SENDTRAIL_DATA_DIR: './.sendtrail' }, 'pglite')).toMatchObject({ kind: 'pglite', fsync: false, data_dir: expect.stringMatching(/^\/.*\.sendtrail$/), warning: expect.stringContaining('power cut') });
  });

  it('shows an admin the configuration by group, with each value\'s source and description, secrets masked', async () => {
    const res = await get('/v1/settings', admin);
    expect(res.statusCode).toBe(200);
    const { groups } = res.json();
    expect(groups.map((g: { id: string }) => g.id)).toEqual(['server', 'database', 'sending', 'inbound', 'tracking', 'security', 'advanced']);
    const setting = (key: string) => groups.flatMap((g: { settings: unknown[] }) => g.settings).find((s: { key: string }) => s.key === key);
    expect(setting('PORT')).toMatchObject({ value: '3456', default_value: '3000', source: 'env', secret: false, description: expect.stringContaining('HTTP server') });
    expect(setting('HOST')).toMatchObject({ value: '127.0.0.1', source: 'default' });
    expect(setting('SMTP_URL')).toMatchObject({ value: 'smtp://mailer:****@relay.example.com:587', source: 'env' });
    expect(setting('DATABASE_URL').value).toBe('postgres://sendtrail:****@db.internal:6543/mail?sslmode=require');
    for (const key of ['SENDTRAIL_API_KEY', 'SENDTRAIL_ADMIN_PASSWORD', 'TRACKING_KEYS', 'METRICS_TOKEN', 'SENDTRAIL_SECRET']) {
      expect(setting(key)).toMatchObject({ value: '********', source: 'env', secret: true });
    }
    expect(setting('PROCESS_LOST_AFTER_MS')).toMatchObject({ value: '20000', default_value: '15000', source: 'env' });
    expect(groups.find((g: { id: string }) => g.id === 'advanced').advanced).toBe(true);
    for (const secret of Object.values(SECRETS)) expect(res.body).not.toContain(secret);
    for (const secret of Object.values(SECRETS)) expect((await get('/v1/system', admin)).body).not.toContain(secret);
  });

  it('refuses the settings to a viewer and to an API key', async () => {
    for (const who of [viewer, t.apiKey]) {
      const res = await get('/v1/settings', who);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('forbidden');
      expect(res.body).not.toContain(SECRETS.smtp);
    }
  });

  it('is in the OpenAPI document under the system tag', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(doc.paths['/v1/system'].get.tags).toEqual(['system']);
    expect(doc.paths['/v1/settings'].get.tags).toEqual(['system']);
  });
});
