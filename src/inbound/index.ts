// What other domains and the composition root may use of inbound.
export { startInboundSmtpServer, type InboundSmtpServer, type InboundSmtpOptions } from './smtp/inbound-smtp-server.ts';
export { createForwardTransport, type ForwardTransport, type ForwardOutcome } from './forward/smtp-forward.ts';
export { startReplyForwarding, type ReplyForwarding } from './forward/reply-forwarder.ts';
export { countHeldForwards, takeOverForwards } from './forward/reply-forwards.repository.ts';
export { ingestMessage, type IngestDeps, type IngestResult, type Envelope } from './ingest/ingest-message.ts';
export { listInboundMessages, findInboundMessage, type InboundRow, type InboundFilter } from './ingest/inbound.repository.ts';
export { isInboundRecipient, unsubscribeTokenOf, type InboundDomains } from './inbound-addresses.ts';
export { startInboundFeed, type InboundFeed, type InboundArrival } from './inbound-feed.ts';
