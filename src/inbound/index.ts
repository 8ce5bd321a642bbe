// What other domains and the composition root may use of inbound.
export { classifyReturnedMessage } from './classify/classify-returned-message.ts';
export { splitMbox } from './classify/split-mbox.ts';
export type { BounceResult, ReturnedMessage, ReturnedMessageKind } from './classify/returned-message.ts';
export { classifyFiles } from './classify/classify-files.ts';
