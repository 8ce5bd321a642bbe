// Without SMTP_URL, mail to real domains is captured locally and never leaves the machine.
import { composeMessage } from '../mime/compose-message.ts';
import { retryPolicyNever } from '../retry-policy.ts';
import type { OutgoingMessage, SendResult, Transport } from './transport.ts';

export function createCaptureTransport(): Transport {
  return {
    name: 'capture',
    isFinalHop: false,
    retry: retryPolicyNever,
    async send(message: OutgoingMessage): Promise<SendResult> {
      try {
        const { raw } = await composeMessage({ ...message.mail, envelope: message.envelope });
        return { kind: 'captured', raw: raw.toString('utf8') };
      } catch (err) {
        return { kind: 'failed', message: (err as Error).message };
      }
    },
    async close() {},
  };
}
