// SMTP transport over a pool of nodemailer connections: relays (Postfix, MailU, SES SMTP) and the
// built-in simulator use this same client code, in this thread or in the SMTP sending thread.
import type { RetryPolicy } from '../retry-policy.ts';
import { openSmtpPool, type PoolReply } from './smtp-pool.ts';
import type { SmtpThread } from './smtp-thread-client.ts';
import type { OutgoingMessage, SendResult, Transport } from './transport.ts';

export type SmtpTransportOptions = {
  name: string;
  url: string;
  poolSize: number;
  isFinalHop: boolean;
  retry: RetryPolicy;
  /** Ask the relay for delivery reports (RFC 3461): ENVID = email id, RET=HDRS, NOTIFY=all. */
  requestDsn: boolean;
};

// Errors that mean the next hop could not be reached or the conversation broke: retry later.
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROTOCOL', 'ECONNRESET']);
// Errors that mean our own configuration is wrong: retrying will not help until someone fixes it.
const CONFIG_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2', 'ECONFIG', 'EREQUIRETLS']);

/** With `thread`, the pool lives in the SMTP sending thread; without, in this one. */
export function createSmtpTransport(options: SmtpTransportOptions, thread?: SmtpThread): Transport {
  const poolOptions = { url: options.url, poolSize: options.poolSize };
  const pool = thread ? thread.openPool(options.name, poolOptions) : openSmtpPool(poolOptions);

  return {
    name: options.name,
    isFinalHop: options.isFinalHop,
    retry: options.retry,
    async send(message: OutgoingMessage): Promise<SendResult> {
      const reply = await pool.send(
        {
          ...message.mail,
          envelope: message.envelope,
          dsn: options.requestDsn
            ? { id: message.emailId, return: 'headers', notify: ['success', 'failure', 'delay'], recipient: message.recipient }
            : undefined,
        },
        message.recipient,
      );
      return resultOf(reply);
    },
    async close() {
      pool.close();
    },
  };
}

function resultOf(reply: PoolReply): SendResult {
  if (!reply.ok) return fromError(reply.error);
  if (reply.rejected) return fromError(reply.rejected);
  return { kind: 'accepted', response: reply.response };
}

type NodemailerLikeError = { code?: string; responseCode?: number; response?: string; command?: string; message?: string };

export function fromError(err: unknown): SendResult {
  const e = (err ?? {}) as NodemailerLikeError;
  if (typeof e.responseCode === 'number' && e.responseCode >= 400) {
    return { kind: 'refused', code: e.responseCode, response: e.response ?? e.message ?? '', phase: phaseOf(e.command) };
  }
  if (e.code && CONFIG_CODES.has(e.code)) return { kind: 'failed', message: `${e.code}: ${e.message}` };
  if (e.code && CONNECTION_CODES.has(e.code)) return { kind: 'unreachable', message: `${e.code}: ${e.message}` };
  const msg = e.message ?? String(err);
  if (/ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|socket|connection/i.test(msg)) {
    return { kind: 'unreachable', message: msg };
  }
  return { kind: 'failed', message: msg };
}

const phaseOf = (command?: string) => {
  const c = (command ?? '').toUpperCase();
  if (c.startsWith('RCPT')) return 'rcpt';
  if (c.startsWith('MAIL')) return 'mail';
  if (c.startsWith('DATA') || c === '' || c.startsWith('.')) return 'data';
  return c.toLowerCase().split(' ')[0] ?? 'data';
};
