// A plain message of Sendtrail's own (to its admins) through the relay (SMTP_URL), with the
// relay's connection settings and timeouts.
import nodemailer from 'nodemailer';
import { relayConnectionOptions } from './smtp-pool.ts';

export type RelayMailer = { send(mail: { to: string[]; subject: string; text: string }): Promise<void>; close(): void };

export function createRelayMailer(smtpUrl: string, from: string): RelayMailer {
  const transport = nodemailer.createTransport(relayConnectionOptions(smtpUrl));
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
    close: () => transport.close(),
  };
}
