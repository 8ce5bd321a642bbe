// What other domains and the composition root may use of delivery.
export { startDeliveryWorker, type DeliveryWorker, type WorkerDeps } from './delivery-worker.ts';
export { createTransportRouter, relayRetryPolicyOf, type TransportRouter } from './transport-router.ts';
export { startSimulatorServer, type SimulatorServer } from './simulator/simulator-server.ts';
export { SIMULATOR_BEHAVIOURS, SIMULATOR_DOMAIN, type SimulatorBehaviour, type AcceptedMessage, type SimulatorWorld } from './simulator/simulator-behaviours.ts';
export { ensureSimulatorSuppressions } from './simulator-suppressions.ts';
export { readQueueDepth } from './queue.repository.ts';
export { returnPathFor, parseReturnPath } from './return-path.ts';
export type { CampaignContent } from './build-message.ts';
export { createMessageSigner } from './sign-message.ts';
export { classifySmtpReply, isHardReason, mentionsUnknownUser, statesUnknownAddress, reasonFromText, reasonByStatus, reasonByCode, replyCodeIn, statusIn, type SmtpReplyClass } from './classify-smtp-reply.ts';
export { ADDRESS_VERDICT_RULES, BOUNCE_RULES, type BounceReason } from './bounce-rules.ts';
export { relayConnectionOptions } from './transports/smtp-pool.ts';
export { fromError } from './transports/smtp-transport.ts';
export { decideRetry, type RetryPolicy } from './retry-policy.ts';
