import { describe, expect, it } from 'vitest';
import { ConfigSchema } from './schema.ts';
import { describeConfig, loadConfig } from './load-config.ts';

describe('loadConfig', () => {
  it('runs with no configuration at all, on the embedded database and port 3000', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.DATABASE_URL).toBe('');
    expect(c.SENDTRAIL_DATA_DIR).toBe('./.sendtrail');
    expect(c.PUBLIC_URL).toBe('http://localhost:3000');
  });

  it('converts numbers and trims a trailing slash from PUBLIC_URL', () => {
    const c = loadConfig({ PORT: '8080', PUBLIC_URL: 'https://mail.example.com/', WORKER_CONCURRENCY: '10' });
    expect(c.PORT).toBe(8080);
    expect(c.WORKER_CONCURRENCY).toBe(10);
    expect(c.PUBLIC_URL).toBe('https://mail.example.com');
  });

  it('names every bad key in one clear message', () => {
    expect(() =>
      loadConfig({ PORT: 'eighty', SENDTRAIL_API_KEY: 'short', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://relay', LOG_LEVEL: 'loud' }),
    ).toThrowError(/PORT[\s\S]*LOG_LEVEL[\s\S]*SENDTRAIL_API_KEY: must be 24[\s\S]*DATABASE_URL[\s\S]*SMTP_URL/);
  });

  it('refuses a first admin password that is short or has no email, without repeating it; masks it when printed', () => {
    expect(() => loadConfig({ SENDTRAIL_ADMIN_EMAIL: 'ops@example.org', SENDTRAIL_ADMIN_PASSWORD: 'hunter2hunt' })).toThrowError(/SENDTRAIL_ADMIN_PASSWORD: must be 12 characters or more/);
    expect(() => loadConfig({ SENDTRAIL_ADMIN_PASSWORD: 'a long enough password' })).toThrowError(/SENDTRAIL_ADMIN_PASSWORD: set SENDTRAIL_ADMIN_EMAIL too/);
    try {
      loadConfig({ SENDTRAIL_ADMIN_PASSWORD: 'hunter2hunt' });
    } catch (err) {
      expect((err as Error).message).not.toContain('hunter2hunt');
    }
    const printed = describeConfig(loadConfig({ SENDTRAIL_ADMIN_EMAIL: 'ops@example.org', SENDTRAIL_ADMIN_PASSWORD: 'a long enough password' }));
    expect(printed.find((p) => p.key === 'SENDTRAIL_ADMIN_PASSWORD')?.value).toBe('********');
  });

  it('refuses a lost-process threshold under two heartbeats, which would take over a live process\'s emails after one late beat', () => {
    expect(() => loadConfig({ PROCESS_HEARTBEAT_MS: '5000', PROCESS_LOST_AFTER_MS: '9000' })).toThrowError(/PROCESS_LOST_AFTER_MS: must be at least twice PROCESS_HEARTBEAT_MS/);
    expect(loadConfig({ PROCESS_HEARTBEAT_MS: '500', PROCESS_LOST_AFTER_MS: '1000' }).PROCESS_LOST_AFTER_MS).toBe(1000);
  });

  it('documents every key with a default and a description, and masks secrets when printed', () => {
    for (const [key, schema] of Object.entries(ConfigSchema.properties)) {
      expect((schema as { description?: string }).description, key).toBeTruthy();
      expect((schema as { default?: unknown }).default, key).not.toBeUndefined();
    }
    const printed = describeConfig(loadConfig({ SENDTRAIL_API_KEY: 'k'.repeat(30), DATABASE_URL: 'postgres://u:pw@h/db' }));
    const byKey = Object.fromEntries(printed.map((p) => [p.key, p.value]));
    expect(byKey.SENDTRAIL_API_KEY).toBe('********');
    expect(byKey.DATABASE_URL).toBe('postgres://u:****@h/db');
  });
});
