// What ingest needs from the classifier (branch `bounces`, src/inbound/classify): a function from raw
// mail to a ReturnedMessage. Declared here as a port so ingest can be tested with plain values.
export type BounceResult = {
  recipient: string | null;
  action: string | null;
  status: string | null;
  reply_code: number | null;
  reason: string;
  hard: boolean;
  feedback: boolean;
  feedback_type: string | null;
  vacation: boolean;
  diagnostic: string | null;
  remote_mta: string | null;
};

export type ReturnedMessage = {
  kind: 'bounce' | 'delivery_report' | 'complaint' | 'auto_reply' | 'reply' | 'other';
  results: BounceResult[];
  correlation: { envelopeIds: string[]; messageIds: string[]; sendtrailIds: string[]; recipients: string[] };
  reply?: { text: string; from: string | null; subject: string | null };
  messageId: string | null;
};

/** Never throws: a message it cannot read is `other` with no results. */
export type Classify = (raw: Buffer) => Promise<ReturnedMessage>;
