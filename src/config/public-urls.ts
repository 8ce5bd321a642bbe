// Addresses derived from the configuration, where other processes and recipients reach this one.
import type { Config } from './schema.ts';

/** PUBLIC_URL, or the API's own address when it is unset (a single-machine install). */
export function publicUrlOf(config: Config): string {
  return (config.PUBLIC_URL || `http://localhost:${config.PORT}`).replace(/\/+$/, '');
}

/** Where other processes reach the inbound SMTP server: INBOUND_HOST, or loopback when it listens on all. */
export function inboundSmtpUrlOf(config: Config): string {
  const host = ['0.0.0.0', '::', ''].includes(config.INBOUND_HOST) ? '127.0.0.1' : config.INBOUND_HOST;
  return `smtp://${host.includes(':') ? `[${host}]` : host}:${config.INBOUND_SMTP_PORT}`;
}
