// Webhook settings for tests: names resolved from a table the test controls (DNS of real domains
// is not reachable here, and a test must say what a name resolves to), and receivers on 127.0.0.1
// allowed through WEBHOOK_ALLOWED_NETWORKS as an operator would.
import type { LookupAddress } from 'node:dns';
import { isIP } from 'node:net';
import { createAddressPolicy, createSecretBox, type Resolver } from '../../src/webhooks/index.ts';
import type { WebhookSettings } from '../../src/roles/webhook-settings.ts';

export const TEST_INSTALLATION_SECRET = 'test-installation-secret-for-webhooks';

/** A resolver answering from `names` (changeable by the test); an unknown name does not resolve. */
export function tableResolver(names: Record<string, string[]> = {}): Resolver & { names: Record<string, string[]> } {
  const resolve = async (hostname: string): Promise<LookupAddress[]> => {
    const addresses = resolve.names[hostname];
    if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
    return addresses.map((address) => ({ address, family: isIP(address) }));
  };
  resolve.names = names;
  return resolve;
}

export function testWebhookSettings(options: { allowedNetworks?: string[]; allowHttp?: boolean; resolver?: Resolver } = {}): WebhookSettings {
  const policy = createAddressPolicy(options.allowedNetworks ?? ['127.0.0.1/32']);
  const resolver = options.resolver ?? tableResolver({ 'hooks.example.com': ['127.0.0.1'] });
  return { box: createSecretBox(TEST_INSTALLATION_SECRET), policy, resolver, urls: { allowHttp: options.allowHttp ?? true, policy, resolver } };
}
