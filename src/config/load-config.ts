// Reads the environment into a validated Config; the only module that touches process.env.
import { Value } from '@sinclair/typebox/value';
import proxyAddr from '@fastify/proxy-addr';
import { annotationsOf, ConfigSchema, type Config, type ConfigGroup } from './schema.ts';
import { displayValue } from './mask-secrets.ts';
import { commaList } from '../shared/comma-list.ts';
// Not the accounts index: checking configuration loads no password hashing.
import { MIN_PASSWORD_LENGTH } from '../accounts/password-policy.ts';

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map(
    (e) => `${e.path.slice(1) || '(config)'}: ${e.message} (got ${JSON.stringify(displayValue(e.path.slice(1), e.value))})`,
  );
  const config = withDefaults as Config;
  if (config.SENDTRAIL_API_KEY && config.SENDTRAIL_API_KEY.length < 24) {
    problems.push('SENDTRAIL_API_KEY: must be 24 characters or more');
  }
  if (config.SENDTRAIL_ADMIN_PASSWORD && !config.SENDTRAIL_ADMIN_EMAIL) {
    problems.push('SENDTRAIL_ADMIN_PASSWORD: set SENDTRAIL_ADMIN_EMAIL too (the first admin\'s email)');
  }
  if (config.SENDTRAIL_ADMIN_PASSWORD && [...config.SENDTRAIL_ADMIN_PASSWORD].length < MIN_PASSWORD_LENGTH) {
    problems.push(`SENDTRAIL_ADMIN_PASSWORD: must be ${MIN_PASSWORD_LENGTH} characters or more`);
  }
  if (config.DATABASE_URL && !/^postgres(ql)?:\/\//.test(config.DATABASE_URL)) {
    problems.push('DATABASE_URL: must start with postgres:// or postgresql://');
  }
  if (config.SMTP_URL && !/^smtps?:\/\//.test(config.SMTP_URL)) {
    problems.push('SMTP_URL: must start with smtp:// or smtps://');
  }
  if (config.PUBLIC_URL && !/^https?:\/\//.test(config.PUBLIC_URL)) {
    problems.push('PUBLIC_URL: must start with http:// or https://');
  }
  // Checked here so a typo stops the start, not every scrape of /metrics.
  try {
    proxyAddr.compile(commaList(config.METRICS_ALLOWED_NETWORKS));
  } catch (err) {
    problems.push(`METRICS_ALLOWED_NETWORKS: ${(err as Error).message}`);
  }
  if (config.PROCESS_LOST_AFTER_MS < 2 * config.PROCESS_HEARTBEAT_MS) {
    problems.push('PROCESS_LOST_AFTER_MS: must be at least twice PROCESS_HEARTBEAT_MS, or one late heartbeat would count a live process as lost');
  }
  if (Boolean(config.INBOUND_TLS_KEY_FILE) !== Boolean(config.INBOUND_TLS_CERT_FILE)) {
    problems.push('INBOUND_TLS_KEY_FILE and INBOUND_TLS_CERT_FILE: set both (STARTTLS) or neither');
  }
  if (problems.length > 0) {
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  if (!config.PUBLIC_URL) config.PUBLIC_URL = `http://localhost:${config.PORT}`;
  config.PUBLIC_URL = config.PUBLIC_URL.replace(/\/+$/, '');
  return config;
}

export type ConfigEntry = {
  key: string;
  group: ConfigGroup;
  /** The effective value as it may be shown: secrets and the passwords in URLs masked. */
  value: string;
  /** Masked like value. */
  defaultValue: string;
  /** 'set': from the environment; 'default': not set, or set empty. */
  source: 'set' | 'default';
  description: string;
};

/** Every key in schema order with its effective value, masked, and where it came from: for `sendtrail config`. */
export function describeConfig(config: Config, env: Record<string, string | undefined> = process.env): ConfigEntry[] {
  return Object.entries(ConfigSchema.properties).map(([key, schema]) => {
    const { default: def, description = '' } = schema as { default?: unknown; description?: string };
    const given = env[key];
    return {
      key,
      group: annotationsOf(key).group,
      value: displayValue(key, (config as Record<string, unknown>)[key]),
      defaultValue: displayValue(key, def),
      source: given !== undefined && given !== '' ? 'set' : 'default',
      description,
    };
  });
}
