// One pool of SMTP sessions and a send whose answer is plain data, so it can cross a thread
// boundary (smtp-thread.ts) as well as be used in the calling thread.
import type { SendMailOptions } from 'nodemailer';
import { composeMessage } from '../mime/compose-message.ts';
import { openSmtpConnections } from './smtp-connections.ts';

/** Everything needed to open a pool: serializable, so a sending thread can open it too. */
export type SmtpPoolOptions = { url: string; poolSize: number };

/** The fields of a nodemailer error that decide an outcome (see fromError in smtp-transport.ts). */
export type SmtpErrorLike = { code?: string; responseCode?: number; response?: string; command?: string; message?: string };

export type PoolReply =
  | { ok: true; response: string; rejected?: SmtpErrorLike }
  | { ok: false; error: SmtpErrorLike };

export type SmtpPool = { send(mail: SendMailOptions, recipient: string): Promise<PoolReply>; close(): void };

/** How to reach the relay of SMTP_URL (host, port, TLS, credentials, timeouts), for any client of it. */
export function relayConnectionOptions(smtpUrl: string) {
  const url = new URL(smtpUrl);
  return {
    host: url.hostname,
    port: Number(url.port) || (url.protocol === 'smtps:' ? 465 : 25),
    secure: url.protocol === 'smtps:',
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 60_000,
    // A relay on localhost commonly has a self-signed certificate; STARTTLS is opportunistic here.
    tls: { rejectUnauthorized: url.searchParams.get('tls_verify') === 'true' },
  };
}

export function openSmtpPool(options: SmtpPoolOptions): SmtpPool {
  const connections = openSmtpConnections({ ...relayConnectionOptions(options.url), poolSize: options.poolSize });
  return {
    async send(mail, recipient) {
      try {
        const { raw, envelope } = await composeMessage(mail);
        const info = await connections.send({ ...envelope, dsn: mail.dsn }, raw);
        const i = info.rejected.indexOf(recipient);
        if (i >= 0) return { ok: true, response: info.response, rejected: errorLike(info.rejectedErrors?.[i] ?? new Error('recipient rejected')) };
        return { ok: true, response: info.response };
      } catch (err) {
        return { ok: false, error: errorLike(err) };
      }
    },
    close: () => connections.close(),
  };
}

export function errorLike(err: unknown): SmtpErrorLike {
  if (err === null || typeof err !== 'object') return { message: String(err) };
  const e = err as SmtpErrorLike;
  return { code: e.code, responseCode: e.responseCode, response: e.response, command: e.command, message: e.message };
}
