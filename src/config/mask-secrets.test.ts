// What `sendtrail config` and the start banner may show of the configuration: no secret in clear.
import { describe, expect, it } from 'vitest';
import { ConfigSchema, CONFIG_GROUPS } from './schema.ts';
import { describeConfig, loadConfig } from './load-config.ts';
import { displayValue, isSecretKey, maskUrlCredentials } from './mask-secrets.ts';
import { formatConfig } from './format-config.ts';

describe('masking secrets', () => {
  it('masks the password of a URL and keeps the rest readable', () => {
    expect(maskUrlCredentials('postgres://sendtrail:s3cret@db.example:5432/mail')).toBe('postgres://sendtrail:****@db.example:5432/mail');
    expect(maskUrlCredentials('smtps://mailer:pw@relay.example:465')).toBe('smtps://mailer:****@relay.example:465');
    expect(maskUrlCredentials('redis://:only-a-password@cache:6379')).toBe('redis://:****@cache:6379');
  });

  it('masks a password holding @, # or ? whole, as the URL parser splits it', () => {
    for (const password of ['p@ss', 'p#ss', 'p?ss', 'a:b@c']) {
      const masked = maskUrlCredentials(`postgres://u:${password}@host/db`);
      expect(masked).toBe('postgres://u:****@host/db');
    }
  });

  it('masks a user part with no password (it may be a token) and password-like query parameters', () => {
    expect(maskUrlCredentials('https://ghp_token123@git.example/repo')).toBe('https://****@git.example/repo');
    expect(maskUrlCredentials('postgres://db.example/mail?sslmode=require&password=hunter2')).toBe(
      'postgres://db.example/mail?sslmode=require&password=****',
    );
  });

  it('leaves URLs without credentials, and plain values, as they are', () => {
    for (const value of ['https://mail.example.com', 'smtp://127.0.0.1:25', 'http://localhost:3000/t?x=1', '127.0.0.1', '']) {
      expect(maskUrlCredentials(value)).toBe(value);
    }
  });

  it('masks every key the schema marks secret, and any key named like a secret', () => {
    const marked = Object.entries(ConfigSchema.properties)
      .filter(([, s]) => (s as { secret?: boolean }).secret)
      .map(([k]) => k);
    expect(marked.sort()).toEqual(['METRICS_TOKEN', 'SENDTRAIL_ADMIN_PASSWORD', 'SENDTRAIL_API_KEY', 'SENDTRAIL_SECRET', 'TRACKING_KEYS']);
    for (const key of marked) expect(displayValue(key, 'value-in-clear')).toBe('********');
    // A key added later without the flag is still masked by its name; a key file's path is not a key.
    for (const key of ['SMTP_PASSWORD', 'WEBHOOK_SECRET', 'ALERTS_TOKEN', 'SIGNING_KEY']) expect(isSecretKey(key), key).toBe(true);
    expect(isSecretKey('INBOUND_TLS_KEY_FILE')).toBe(false);
    // Every key whose name says secret carries the flag, so the schema stays the one place to look.
    for (const key of Object.keys(ConfigSchema.properties)) {
      if (isSecretKey(key)) expect(marked, key).toContain(key);
    }
  });
});

describe('describeConfig', () => {
  const env = {
    SENDTRAIL_SECRET: 'the-installation-secret',
    TRACKING_KEYS: 'new-tracking-key,old-tracking-key',
    METRICS_TOKEN: 'scraper-token-1234',
    DATABASE_URL: 'postgres://sendtrail:db-password@db.example/mail',
    WORKER_CONCURRENCY: '64',
    SMTP_URL: '',
  };
  const entries = describeConfig(loadConfig(env), env);
  const byKey = Object.fromEntries(entries.map((e) => [e.key, e]));

  it('says which values the environment set and which are defaults (an empty variable is not set)', () => {
    expect(byKey.WORKER_CONCURRENCY).toMatchObject({ value: '64', source: 'set', defaultValue: '128' });
    expect(byKey.PORT).toMatchObject({ value: '3000', source: 'default' });
    expect(byKey.SMTP_URL).toMatchObject({ value: '', source: 'default' });
    expect(byKey.METRICS_ALLOWED_NETWORKS).toMatchObject({ value: '127.0.0.0/8,::1', source: 'default' });
  });

  it('never shows a secret', () => {
    const shown = JSON.stringify(entries) + formatConfig(entries);
    for (const secret of ['the-installation-secret', 'new-tracking-key', 'old-tracking-key', 'scraper-token-1234', 'db-password']) {
      expect(shown).not.toContain(secret);
    }
    expect(byKey.TRACKING_KEYS!.value).toBe('********');
    expect(byKey.SENDTRAIL_API_KEY!.value).toBe(''); // not set: nothing to hide
    expect(byKey.DATABASE_URL!.value).toBe('postgres://sendtrail:****@db.example/mail');
  });

  it('names a refused URL without its password', () => {
    const refused = () => loadConfig({ DATABASE_URL: 'mysql://u:db-password@h/db' });
    expect(refused).toThrowError(/DATABASE_URL: must start with postgres/);
    expect(refused).not.toThrowError(/db-password/);
  });

  it('puts every key in a group; tuning and test knobs in advanced', () => {
    for (const e of entries) expect(Object.keys(CONFIG_GROUPS), e.key).toContain(e.group);
    const advanced = entries.filter((e) => e.group === 'advanced').map((e) => e.key);
    expect(advanced).toEqual(expect.arrayContaining(['CLAIM_BATCH_SIZE', 'SIMULATOR_RETRY_BASE_MS', 'TRACKING_COMMIT_LINGER_MS', 'PGLITE_SHARED_BUFFERS', 'PROVIDER_MX_LOOKUP']));
    for (const key of ['PORT', 'DATABASE_URL', 'SMTP_URL', 'SENDTRAIL_SECRET', 'TRACKING_TRUSTED_PROXIES', 'RETRY_BASE_MS', 'SOFT_BOUNCE_SUPPRESS_COUNT', 'LOG_LEVEL']) {
      expect(advanced).not.toContain(key);
    }
  });

  it('describes what a key does, not what a benchmark measured', () => {
    for (const e of entries) expect(e.description, e.key).not.toMatch(/bench|µs|VmHWM|\d+(\.\d+)?-\d+(\.\d+)? ?s\b/);
  });

  it('refuses a METRICS_ALLOWED_NETWORKS entry that is not an IP or CIDR', () => {
    expect(() => loadConfig({ METRICS_ALLOWED_NETWORKS: '10.0.0.0/33' })).toThrowError(/METRICS_ALLOWED_NETWORKS: invalid range/);
    expect(() => loadConfig({ METRICS_ALLOWED_NETWORKS: 'intranet' })).toThrowError(/METRICS_ALLOWED_NETWORKS: invalid IP/);
    expect(loadConfig({ METRICS_ALLOWED_NETWORKS: '10.0.0.0/8, 192.168.1.5 ,loopback' }).METRICS_ALLOWED_NETWORKS).toBeTruthy();
  });
});
