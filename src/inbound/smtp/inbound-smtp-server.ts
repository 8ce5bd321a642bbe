// The inbound SMTP server (issue 4, part 1): takes mail for the bounce and reply domains only, and
// answers 250 only once the message is stored, so what it acknowledges is never lost.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import { isInboundRecipient, type InboundDomains } from '../inbound-addresses.ts';
import type { Envelope, IngestResult } from '../ingest/ingest-message.ts';

export type InboundSmtpOptions = {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  domains: InboundDomains;
  maxMessageBytes: number;
  /** PEM key and certificate: STARTTLS is offered (RFC 3207); absent, it is not. */
  tls?: { key: Buffer | string; cert: Buffer | string };
  /** Idle time before a silent or slow client is disconnected. */
  socketTimeoutMs?: number;
  maxClients?: number;
  ingest(envelope: Envelope, raw: Buffer): Promise<IngestResult>;
  log?: { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };
};

export type InboundSmtpServer = { port: number; url: string; close(): Promise<void> };

// RFC 5321 section 4.5.3.1.8 requires room for 100 recipients; a DSN has one, so more is abuse.
const MAX_RECIPIENTS = 100;

const smtpError = (code: number, message: string) => Object.assign(new Error(message), { responseCode: code });

export async function startInboundSmtpServer(options: InboundSmtpOptions): Promise<InboundSmtpServer> {
  const inFlight = new Set<Promise<unknown>>();
  const config: SMTPServerOptions = {
    name: options.domains.bounceDomain,
    banner: 'Sendtrail inbound',
    authOptional: true,
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { key: options.tls.key, cert: options.tls.cert } : {}),
    size: options.maxMessageBytes,
    logger: false,
    disableReverseLookup: true,
    socketTimeout: options.socketTimeoutMs ?? 60_000,
    maxClients: options.maxClients ?? 200,
    onRcptTo(address, session, callback) {
      if (!isInboundRecipient(address.address, options.domains)) {
        return callback(smtpError(550, '5.7.1 Relaying denied: this server only accepts mail for its own domains'));
      }
      if (session.envelope.rcptTo.length >= MAX_RECIPIENTS) return callback(smtpError(452, '4.5.3 Too many recipients'));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        // Past the limit the rest is read and dropped (smtp-server flags sizeExceeded), not buffered.
        size += chunk.length;
        if (size <= options.maxMessageBytes) chunks.push(chunk);
      });
      stream.once('error', (err) => callback(smtpError(451, `4.3.0 Could not read the message: ${err.message}`)));
      stream.once('end', () => {
        if (stream.sizeExceeded || size > options.maxMessageBytes) {
          return callback(smtpError(552, `5.3.4 Message too big: the limit is ${options.maxMessageBytes} bytes`));
        }
        const envelope: Envelope = {
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
        };
        const job = options
          .ingest(envelope, Buffer.concat(chunks))
          .then(() => callback())
          .catch((err: unknown) => {
            // Not stored: a 4xx makes the sending MTA keep the message and try again later.
            options.log?.error({ err }, 'inbound message not stored; sender told to retry');
            callback(smtpError(451, '4.3.0 Temporary failure storing the message, try again later'));
          });
        inFlight.add(job);
        void job.finally(() => inFlight.delete(job));
      });
    },
  };
  const server = new SMTPServer(config);
  server.on('error', (err) => options.log?.warn({ err }, 'inbound SMTP connection error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://${options.host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...inFlight]);
    },
  };
}
