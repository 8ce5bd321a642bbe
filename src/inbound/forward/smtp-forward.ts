// Sends a reply, as it arrived, to the configured mailbox (REPLY_FORWARD_TO) through the outgoing
// relay, and says whether a failure is worth retrying.
import nodemailer from 'nodemailer';
import { fromError, relayConnectionOptions } from '../../delivery/index.ts';

export type ForwardOutcome = { ok: true } | { ok: false; permanent: boolean; message: string };

export type ForwardTransport = { send(raw: Buffer): Promise<ForwardOutcome>; close(): void };

export function createForwardTransport(smtpUrl: string, to: string, envelopeFrom: string): ForwardTransport {
  // The relay's own settings bound every wait (at most ~90 s an attempt), well within a claim's lease.
  const transport = nodemailer.createTransport(relayConnectionOptions(smtpUrl));
  return {
    async send(raw) {
      try {
        // The envelope is ours (RFC 5321 section 3.4: a forwarder is a new sender); the message is untouched.
        await transport.sendMail({ envelope: { from: envelopeFrom, to: [to] }, raw });
        return { ok: true };
      } catch (err) {
        // Read the way outgoing mail's errors are. A 5xx is the relay's final word; no reply at all
        // (connection refused, timeout) or a 4xx may pass.
        const result = fromError(err);
        if (result.kind === 'refused') return { ok: false, permanent: result.code !== null && result.code >= 500, message: result.response };
        return { ok: false, permanent: false, message: 'message' in result ? result.message : String(err) };
      }
    },
    close: () => transport.close(),
  };
}
