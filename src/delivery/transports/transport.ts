// The port every transport implements: hand one message to the next hop and say what happened.
import type { SendMailOptions } from 'nodemailer';
import type { RetryPolicy } from '../retry-policy.ts';

export type OutgoingMessage = {
  emailId: string;
  /** The recipient whose fate this email tracks (cc/bcc may ride along in the envelope). */
  recipient: string;
  envelope: { from: string; to: string[] };
  mail: SendMailOptions;
};

/** A delivery result is a value, not an exception (Postal's SendResult). */
export type SendResult =
  | { kind: 'accepted'; response: string }
  | { kind: 'captured'; raw: string }
  | { kind: 'refused'; code: number | null; response: string; phase: string }
  | { kind: 'unreachable'; message: string }
  | { kind: 'failed'; message: string };

export interface Transport {
  readonly name: string;
  /** True when the server we talk to is the recipient's own: its 250 means delivered, not just sent. */
  readonly isFinalHop: boolean;
  readonly retry: RetryPolicy;
  send(message: OutgoingMessage): Promise<SendResult>;
  close(): Promise<void>;
}
