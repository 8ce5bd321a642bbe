// What other domains and the composition root may use of delivery.
export { startDeliveryWorker, type DeliveryWorker, type WorkerDeps } from './delivery-worker.ts';
export { createTransportRouter, relayRetryPolicyOf, type TransportRouter } from './transport-router.ts';
export { startSimulatorServer, type SimulatorServer } from './simulator/simulator-server.ts';
export { SIMULATOR_BEHAVIOURS, SIMULATOR_DOMAIN, type SimulatorBehaviour, type AcceptedMessage, type SimulatorWorld } from './simulator/simulator-behaviours.ts';
export { ensureSimulatorSuppressions } from './simulator-suppressions.ts';
export { countHeldEmails, readQueueDepth, readQueueSnapshot, takeOverLeases, DUE_COUNT_CAP, type QueueSnapshot } from './queue.repository.ts';
export type { CampaignContent } from './build-message.ts';
export { createMessageSigner } from './sign-message.ts';
export { createDkimSigner, watchDomainChanges } from './dkim/index.ts';
export { relayConnectionOptions } from './transports/smtp-pool.ts';
export { fromError } from './transports/smtp-transport.ts';
export { decideRetry, type RetryPolicy } from './retry-policy.ts';
export { renderSentContent, rebuildRawMessage, headerLines, type SentContent, type SentEmail, type HeaderLine } from './sent-message.ts';
export { findCapturedRaw } from './captured-messages.repository.ts';
export { createRelayMailer, type RelayMailer } from './transports/relay-mailer.ts';
