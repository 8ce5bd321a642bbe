// Whether a URL may be saved as a webhook endpoint: https (http only when WEBHOOK_ALLOW_HTTP), no
// credentials in it (they would be shown in every list), and a host whose every address the policy
// allows. The same check runs again at each connection (ssrf/guarded-lookup.ts).
import { AppError } from '../../shared/app-error.ts';
import type { AddressPolicy } from '../ssrf/address-policy.ts';
import { RefusedAddressError, resolveAllowed, type Resolver } from '../ssrf/guarded-lookup.ts';

export type UrlRules = { allowHttp: boolean; policy: AddressPolicy; resolver: Resolver };

export const MAX_URL_LENGTH = 2000;

/** The URL as it will be stored (normalised), or an AppError saying why not. */
export async function checkWebhookUrl(input: string, rules: UrlRules): Promise<string> {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new AppError('invalid_webhook_url', 'The url is not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(rules.allowHttp && url.protocol === 'http:')) {
    throw new AppError('invalid_webhook_url', rules.allowHttp ? 'The url must be https:// or http://' : 'The url must be https:// (http:// only when the installation sets WEBHOOK_ALLOW_HTTP)');
  }
  if (url.username || url.password) throw new AppError('invalid_webhook_url', 'The url must not carry a user name or password: authenticate requests by their signature');
  if (url.hash) throw new AppError('invalid_webhook_url', 'The url must not have a #fragment');
  try {
    await resolveAllowed(url.hostname, rules.resolver, rules.policy);
  } catch (err) {
    if (err instanceof RefusedAddressError) throw new AppError('webhook_address_refused', err.message);
    throw new AppError('invalid_webhook_url', `The url's host ${url.hostname} does not resolve`);
  }
  return url.toString();
}
