// What other parts may use of webhooks: endpoints (routes), the outbox (scheduler), the sender
// (worker), the delivery log and replays (routes), and the settings they share.
export { createSecretBox, type SecretBox } from './secret-box.ts';
export { createAddressPolicy, parseNetworks, type AddressPolicy } from './ssrf/address-policy.ts';
export { systemResolver, type Resolver } from './ssrf/guarded-lookup.ts';
export { WEBHOOK_EVENT_TYPES } from './webhook-event-types.ts';
export { createEndpoint, changeEndpoint, deleteEndpoint, rotateEndpointSecret, PREVIOUS_SECRET_MS, type EndpointSettings, type EndpointInput } from './endpoints/manage-endpoints.ts';
export { listEndpoints, findEndpoint, type EndpointRow } from './endpoints/endpoints.repository.ts';
export { MAX_URL_LENGTH } from './endpoints/check-url.ts';
export { startOutbox } from './outbox/start-outbox.ts';
export { fillOutbox, WEBHOOKS_CURSOR, DELIVERIES_CHANNEL } from './outbox/fill-outbox.ts';
export { startWebhookSender, type WebhookSender, type WebhookSenderDeps } from './sending/start-webhook-sender.ts';
export { createPoster, MAX_EXCERPT_BYTES, type Poster } from './sending/post-webhook.ts';
export { DEFAULT_RETRY_SCHEDULE, type RetrySchedule } from './sending/retry-schedule.ts';
export { listDeliveries, replayDeliveries, findDelivery, takeOverDeliveries, countHeldDeliveries, MAX_IN_FLIGHT_PER_ENDPOINT, type DeliveryRow, type AttemptRow } from './sending/deliveries.repository.ts';
export { queueTestDelivery } from './outbox/queue-test-delivery.ts';
export { queueAlertDeliveries, type AlertPayload } from './outbox/queue-alert-deliveries.ts';
