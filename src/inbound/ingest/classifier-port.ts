// What ingest needs from the classifier (classify/): a function from raw mail to a ReturnedMessage.
// A port, so ingest can also be driven with plain values in tests.
import type { ReturnedMessage } from '../classify/returned-message.ts';

export type { BounceResult, ReturnedMessage } from '../classify/returned-message.ts';

/** Never throws: a message it cannot read is `other` with no results. */
export type Classify = (raw: Buffer) => Promise<ReturnedMessage>;
