// The `sendtrail` command as a user runs it, on a fresh embedded data directory.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSendtrailCommand, startSendtrailProcess } from './support/sendtrail-process.ts';

describe('sendtrail command', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-cli-'));
  });
  afterAll(async () => rm(dataDir, { recursive: true, force: true }));

  it('prints every configuration key with its description', async () => {
    const out = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir }, ['config']);
    expect(out).toMatch(/^PORT=3000$/m);
    expect(out).toMatch(/^SMTP_URL=$/m);
    expect(out).toContain('captured locally and NOT delivered');
  });

  it('prints the keys a user sets by group, the advanced knobs apart, what was set, and no secret', async () => {
    const secrets = {
      SENDTRAIL_SECRET: 'installation-secret-in-clear',
      SENDTRAIL_API_KEY: 'st_seeded-api-key-in-clear-0123',
      TRACKING_KEYS: 'tracking-key-new-in-clear,tracking-key-old-in-clear',
      METRICS_TOKEN: 'metrics-token-in-clear',
      DATABASE_URL: 'postgres://sendtrail:database-password-in-clear@db.example:5432/mail',
      SMTP_URL: 'smtp://mailer:relay-p@ss-in-clear@relay.example:587',
    };
    const out = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir, WORKER_CONCURRENCY: '64', ...secrets }, ['config']);
    for (const clear of ['in-clear', 'relay-p@ss']) expect(out).not.toContain(clear);
    expect(out).toMatch(/^SENDTRAIL_SECRET=\*{8}$/m);
    expect(out).toMatch(/^TRACKING_KEYS=\*{8}$/m);
    expect(out).toMatch(/^METRICS_TOKEN=\*{8}$/m);
    expect(out).toMatch(/^DATABASE_URL=postgres:\/\/sendtrail:\*{4}@db\.example:5432\/mail$/m);
    expect(out).toMatch(/^SMTP_URL=smtp:\/\/mailer:\*{4}@relay\.example:587$/m);
    // Set or default, on the line under each value.
    expect(out).toMatch(/^WORKER_CONCURRENCY=64\n {4}\(set; default 128\) /m);
    expect(out).toMatch(/^PORT=3000\n {4}\(default\) /m);
    expect(out).toMatch(/^METRICS_ALLOWED_NETWORKS=127\.0\.0\.0\/8,::1\n {4}\(default\) /m);
    // Groups in order, the advanced knobs last under their own heading.
    const at = (text: string) => out.indexOf(text);
    const headings = ['# HTTP server', '# Database', '# Sending', '# Bounces', '# Tracking', '# Secrets and access', '# Advanced'].map(at);
    expect(headings.every((h) => h >= 0)).toBe(true);
    expect([...headings].sort((a, b) => a - b)).toEqual(headings);
    const advanced = at('# Advanced');
    for (const key of ['PORT=', 'DATABASE_URL=', 'SMTP_URL=', 'RETRY_BASE_MS=', 'TRACKING_TRUSTED_PROXIES=', 'LOG_LEVEL=']) expect(at(key), key).toBeLessThan(advanced);
    for (const key of ['CLAIM_BATCH_SIZE=', 'SIMULATOR_LIFETIME_MS=', 'TRACKING_COMMIT_LINGER_MS=', 'PGLITE_VACUUM_INTERVAL_MS=']) expect(at(key), key).toBeGreaterThan(advanced);
  });

  it('refuses a bad configuration with a clear message and exit code 1', async () => {
    const err = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir, PORT: 'x' }, ['config']).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('Invalid configuration');
    expect(err.stderr).toContain('PORT');
  });

  it('starts on the embedded database with one printed key that works, and refuses a second process', async () => {
    const proc = await startSendtrailProcess({ SENDTRAIL_DATA_DIR: dataDir });
    try {
      const key = /^\s+(st_\S+)$/m.exec(proc.output())?.[1];
      expect(key).toBeDefined();
      expect(proc.output()).toContain('embedded PGlite');
      expect(proc.output()).toMatch(/not a power cut .* set DATABASE_URL/);
      const res = await fetch(`${proc.url}/v1/emails?limit=1`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
      const second = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir }, ['keys', 'create']).catch((e) => e);
      expect(second.code).toBe(1);
      expect(second.stderr).toContain('in use by another Sendtrail process');
    } finally {
      await proc.stop();
    }
    expect(proc.ended()).toBe('exit code 0');
    const key = (await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir }, ['keys', 'create', '--name', 'ci'])).trim();
    expect(key).toMatch(/^st_[A-Za-z0-9_-]{32}$/);
    const restarted = await startSendtrailProcess({ SENDTRAIL_DATA_DIR: dataDir });
    try {
      expect(restarted.output()).not.toMatch(/API key for the default project/); // shown on the first start only
      const res = await fetch(`${restarted.url}/v1/emails?limit=1`, { headers: { authorization: `Bearer ${key}` } });
      expect(res.status).toBe(200);
    } finally {
      await restarted.stop();
    }
  }, 120_000);

  it('serves /metrics by METRICS_ALLOWED_NETWORKS or METRICS_TOKEN, and prints no secret at start or in its logs', async () => {
    const ownDir = await mkdtemp(join(tmpdir(), 'sendtrail-cli-metrics-'));
    const token = 'metrics-token-in-clear';
    const proc = await startSendtrailProcess({
      SENDTRAIL_DATA_DIR: ownDir,
      LOG_LEVEL: 'debug',
      // Loopback left out, so the test client (on loopback) needs the token.
      METRICS_ALLOWED_NETWORKS: '10.0.0.0/8',
      METRICS_TOKEN: token,
      SENDTRAIL_SECRET: 'installation-secret-in-clear',
      TRACKING_KEYS: 'tracking-key-in-clear',
      SMTP_URL: 'smtp://mailer:relay-password-in-clear@127.0.0.1:9',
    });
    try {
      expect((await fetch(`${proc.url}/metrics`)).status).toBe(404);
      const res = await fetch(`${proc.url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.text()).toMatch(/^sendtrail_queue_depth \d+$/m);
      expect(proc.output()).toContain('Mail relays through smtp://mailer:****@127.0.0.1:9');
      expect(proc.output()).not.toContain('in-clear');
    } finally {
      await proc.stop();
      await rm(ownDir, { recursive: true, force: true });
    }
    expect(proc.output()).not.toContain('in-clear');
  }, 120_000);

  it('adds a DKIM domain and prints the records to publish', async () => {
    const out = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir }, ['domains', 'add', 'example.com']);
    expect(out).toMatch(/_domainkey\.example\.com\s+TXT\s+"v=DKIM1; k=rsa; p=/);
    expect(out).toMatch(/_dmarc\.example\.com\s+TXT\s+"v=DMARC1/);
    const bad = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir }, ['domains', 'add', 'not a domain']).catch((e) => e);
    expect(bad.code).toBe(1);
  });

  it('answers an unknown command with the usage and exit code 2', async () => {
    const err = await runSendtrailCommand({ SENDTRAIL_DATA_DIR: dataDir }, ['frobnicate']).catch((e) => e);
    expect(err.code).toBe(2);
    expect(err.stderr).toContain('Usage: sendtrail');
  });
});
