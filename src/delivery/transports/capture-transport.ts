// Without SMTP_URL, mail to real domains is captured locally and never leaves the machine.
import nodemailer from 'nodemailer';
import { retryPolicyNever } from '../retry-policy.ts';
import type { OutgoingMessage, SendResult, Transport } from './transport.ts';

export function createCaptureTransport(): Transport {
  const composer = nodemailer.createTransport({ streamTransport: true, buffer: true });
  return {
    name: 'capture',
    isFinalHop: false,
    retry: retryPolicyNever,
    async send(message: OutgoingMessage): Promise<SendResult> {
      try {
        const info = await composer.sendMail({ ...message.mail, envelope: message.envelope });
        return { kind: 'captured', raw: (info.message as Buffer).toString('utf8') };
      } catch (err) {
        return { kind: 'failed', message: (err as Error).message };
      }
    },
    async close() {},
  };
}
