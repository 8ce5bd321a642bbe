// A real SMTP server on port 0 that records what it receives and answers per recipient as told.
import { SMTPServer, type SMTPServerAddress, type SMTPServerSession } from 'smtp-server';
import type { AddressInfo } from 'node:net';

/** `bytes`: the size of the message as received (DATA, after dot-unstuffing), counted even when raw is not kept. */
export type SinkMessage = { from: string; to: string[]; raw: string; bytes: number; dsn?: unknown };
export type SinkReply = { code: number; message: string };

export type SmtpSink = {
  port: number;
  messages: SinkMessage[];
  /** Resolves once `count` messages have arrived (or rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  close(): Promise<void>;
};

export type SinkOptions = {
  /** Reply to RCPT TO for this recipient; undefined accepts it. */
  onRecipient?: (address: string, session: SMTPServerSession) => SinkReply | undefined;
  /** Advertise DSN (RFC 3461) so clients send ENVID/RET/NOTIFY; off by default, like smtp-server. */
  advertiseDsn?: boolean;
  /** Keep raw messages (off for benchmarks to save memory). */
  keepRaw?: boolean;
  /** Wait this long before answering the end of DATA: a slow or tarpitting server. */
  dataReplyDelayMs?: number;
  /** Never answer RCPT TO: a relay that hangs, so the client holds its emails until its socket times out. */
  hangAtRecipient?: boolean;
};

export async function startSmtpSink(options: SinkOptions = {}): Promise<SmtpSink> {
  const messages: SinkMessage[] = [];
  let waiters: Array<() => void> = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    hideDSN: !options.advertiseDsn,
    logger: false,
    size: 50 * 1024 * 1024,
    // A hanging sink's sessions never end by themselves: close() cuts them.
    ...(options.hangAtRecipient ? { closeTimeout: 500 } : {}),
    onRcptTo(address: SMTPServerAddress, session, callback) {
      if (options.hangAtRecipient) return;
      const reply = options.onRecipient?.(address.address, session);
      if (!reply) return callback();
      const err = Object.assign(new Error(reply.message), { responseCode: reply.code });
      callback(err);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let bytes = 0;
      stream.on('data', (c: Buffer) => {
        bytes += c.length;
        if (options.keepRaw !== false) chunks.push(c);
      });
      stream.on('end', () => {
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          bytes,
          dsn: (session.envelope as { dsn?: unknown }).dsn,
        });
        for (const w of waiters) w();
        if (options.dataReplyDelayMs) setTimeout(() => callback(), options.dataReplyDelayMs);
        else callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    messages,
    waitFor(count, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length >= count) {
            clearTimeout(timer);
            waiters = waiters.filter((w) => w !== check);
            resolve(messages);
          }
        };
        const timer = setTimeout(() => {
          waiters = waiters.filter((w) => w !== check);
          reject(new Error(`sink got ${messages.length} of ${count} messages in ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
