// What ingest needs from the classifier (bounces' classifyReturnedMessage): a function from raw mail to
// a ReturnedMessage. A port, so ingest can also be driven with plain values in tests.
import type { ReturnedMessage } from '../../bounces/index.ts';

export type { BounceResult, ReturnedMessage } from '../../bounces/index.ts';

/** Never throws: a message it cannot read is `other` with no results. */
export type Classify = (raw: Buffer) => Promise<ReturnedMessage>;
