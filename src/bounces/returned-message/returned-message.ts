// Owns the value types the classifier returns for a message that came back to us (DSN, ARF, reply...).

/** One recipient's outcome in a returned message. Field names match `sendtrail bounce classify`. */
export type BounceResult = {
  recipient: string | null;
  /** RFC 3464 §2.3.3 action: failed, delayed, delivered, relayed, expanded; null for complaints and replies. */
  action: string | null;
  /** RFC 3463 enhanced status code, e.g. `5.1.1`. */
  status: string | null;
  reply_code: number | null;
  /** Taxonomy of test/fixtures/bounces/README.md; `feedback`, `vacation`, `delivered` for non-bounces. */
  reason: string;
  hard: boolean;
  feedback: boolean;
  /** RFC 5965 §3.1 Feedback-Type: abuse, fraud, virus, other, not-spam, auth-failure (RFC 6591), opt-out. */
  feedback_type: string | null;
  vacation: boolean;
  diagnostic: string | null;
  remote_mta: string | null;
};

export type ReturnedMessageKind = 'bounce' | 'delivery_report' | 'complaint' | 'auto_reply' | 'reply' | 'other';

export type ReturnedMessage = {
  kind: ReturnedMessageKind;
  /** Per recipient; delivered/delayed DSN actions included. Empty for human replies and other mail. */
  results: BounceResult[];
  /** What ties the message back to the email we sent. */
  correlation: {
    /** DSN Original-Envelope-Id (we send ENVID = email id, RFC 3461 §4.4). */
    envelopeIds: string[];
    /** Message-IDs of the original found in the returned part, In-Reply-To or References. */
    messageIds: string[];
    /** X-Sendtrail-ID headers found in the returned part. */
    sendtrailIds: string[];
    /** Original-/Final-Recipient. */
    recipients: string[];
  };
  /** Human or auto reply: the new text without the quoted part. */
  reply?: { text: string; from: string | null; subject: string | null };
  /** Of this incoming message, for idempotent ingest. */
  messageId: string | null;
};
