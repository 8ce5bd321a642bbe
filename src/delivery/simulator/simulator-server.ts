// The mailbox simulator: a real SMTP server on loopback that plays the recipient's MX for
// @simulator.test, so simulated mail goes through the same SMTP client code as real mail.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { behaviourFor, SIMULATOR_DOMAIN, type SimulatorWorld } from './simulator-behaviours.ts';

export type SimulatorServer = { url: string; close(): Promise<void> };

// Per-email attempt memory, keyed by the VERP return path (unique per email). Bounded so a long
// run cannot grow it without limit; forgetting an entry only means one more greylisting.
const MAX_REMEMBERED = 100_000;

export type SimulatorOptions = { host?: string; world: SimulatorWorld };

export async function startSimulatorServer(options: SimulatorOptions): Promise<SimulatorServer> {
  const host = options.host ?? '127.0.0.1';
  const attempts = new Map<string, number>();
  // Recipients acting after delivery (afterAccept); close() waits for them.
  const acting = new Set<Promise<void>>();
  const server = new SMTPServer({
    name: `mx.${SIMULATOR_DOMAIN}`,
    banner: 'Sendtrail mailbox simulator',
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 40 * 1024 * 1024,
    onRcptTo(address, session, callback) {
      if (!address.address.toLowerCase().endsWith(`@${SIMULATOR_DOMAIN}`)) {
        return callback(Object.assign(new Error('5.7.1 Relaying denied: the simulator only accepts @simulator.test'), { responseCode: 554 }));
      }
      const key = `${session.envelope.mailFrom ? session.envelope.mailFrom.address : ''}|${address.address.toLowerCase()}`;
      const seen = attempts.get(key) ?? 0;
      if (attempts.size >= MAX_REMEMBERED) attempts.clear();
      attempts.set(key, seen + 1);
      const answer = behaviourFor(address.address).onRecipient(seen);
      if (answer === 'accept') return callback();
      callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
    },
    onData(stream, session, callback) {
      const actors = session.envelope.rcptTo.filter((r) => behaviourFor(r.address).afterAccept);
      // The body is only kept when a recipient will act on it.
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => actors.length > 0 && chunks.push(chunk));
      stream.on('end', () => {
        if (stream.sizeExceeded) return callback(Object.assign(new Error('5.3.4 Message too big'), { responseCode: 552 }));
        // Read the envelope before callback(): smtp-server resets it for the connection's next message.
        const mailFrom = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        callback();
        const raw = Buffer.concat(chunks);
        for (const rcpt of actors) {
          const act = behaviourFor(rcpt.address)
            .afterAccept!({ mailFrom, recipient: rcpt.address, raw, acceptedAt: new Date() }, options.world)
            .catch((err) => options.world.log?.warn({ err, recipient: rcpt.address }, 'simulated recipient failed to act'));
          acting.add(act);
          void act.finally(() => acting.delete(act));
        }
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${host}:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.allSettled([...acting]);
    },
  };
}
