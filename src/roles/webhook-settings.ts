// The webhook settings a process derives from its configuration: the box that seals endpoint
// secrets (keyed by the installation secret), the rules a URL must meet, and the address policy.
import type { Config } from '../config/schema.ts';
import { commaList } from '../shared/comma-list.ts';
import { createAddressPolicy, createSecretBox, systemResolver, type AddressPolicy, type EndpointSettings, type Resolver } from '../webhooks/index.ts';

export type WebhookSettings = EndpointSettings & { policy: AddressPolicy; resolver: Resolver };

/** `resolver`: tests resolve names without DNS. */
export function webhookSettingsOf(config: Config, secret: string, resolver: Resolver = systemResolver): WebhookSettings {
  const policy = createAddressPolicy(commaList(config.WEBHOOK_ALLOWED_NETWORKS));
  return { box: createSecretBox(secret), policy, resolver, urls: { allowHttp: config.WEBHOOK_ALLOW_HTTP, policy, resolver } };
}
