// Reads the environment into a validated Config; the only module that touches process.env.
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './schema.ts';

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(ConfigSchema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const withDefaults = Value.Default(ConfigSchema, Value.Convert(ConfigSchema, raw));
  const problems = [...Value.Errors(ConfigSchema, withDefaults)].map(
    (e) => `${e.path.slice(1) || '(config)'}: ${e.message} (got ${JSON.stringify(e.value)})`,
  );
  const config = withDefaults as Config;
  if (config.SENDTRAIL_API_KEY && config.SENDTRAIL_API_KEY.length < 24) {
    problems.push('SENDTRAIL_API_KEY: must be 24 characters or more');
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

/** Effective values with secrets masked, for `sendtrail config`. */
export function describeConfig(config: Config): Array<{ key: string; value: string; description: string }> {
  const secret = new Set(['SENDTRAIL_API_KEY', 'SENDTRAIL_SECRET']);
  return Object.entries(ConfigSchema.properties).map(([key, schema]) => {
    let value = String((config as Record<string, unknown>)[key] ?? '');
    if (secret.has(key) && value) value = '********';
    if (key === 'DATABASE_URL' || key === 'SMTP_URL') value = value.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:****@');
    return { key, value, description: (schema as { description?: string }).description ?? '' };
  });
}
