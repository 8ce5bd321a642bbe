// Forwards human replies to a configured mailbox (REPLY_FORWARD_TO) through the outgoing relay, as
// they arrived: the person who sent the campaign reads replies in their own mail client.
import nodemailer from 'nodemailer';

export type ReplyForwarder = { forward(raw: Buffer): Promise<void>; close(): void };

export function createReplyForwarder(smtpUrl: string, to: string, envelopeFrom: string): ReplyForwarder {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async forward(raw) {
      // The envelope is ours (RFC 5321 section 3.4: a forwarder is a new sender); the message is untouched.
      await transport.sendMail({ envelope: { from: envelopeFrom, to: [to] }, raw });
    },
    close: () => transport.close(),
  };
}
