// Which recipients the inbound server takes mail for: its bounce and reply domains, nothing else.
export type InboundDomains = { bounceDomain: string; replyDomain: string };

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();
const localOf = (address: string) => address.slice(0, Math.max(0, address.lastIndexOf('@')));

/**
 * True for any local part at the bounce or reply domain. Anything else is refused at RCPT TO, so
 * the server can never relay (RFC 5321 section 3.6.2: relaying is a choice, and we make none).
 */
export function isInboundRecipient(address: string, domains: InboundDomains): boolean {
  if (localOf(address) === '') return false;
  const domain = domainOf(address);
  return domain === domains.bounceDomain.toLowerCase() || domain === domains.replyDomain.toLowerCase();
}

/**
 * The token of a List-Unsubscribe mailto (RFC 2369) `unsubscribe+<token>@BOUNCE_DOMAIN`, which
 * tracking puts in every message; undefined for other addresses.
 */
export function unsubscribeTokenOf(address: string, domains: InboundDomains): string | undefined {
  if (domainOf(address) !== domains.bounceDomain.toLowerCase()) return undefined;
  const match = /^unsubscribe\+(.+)$/i.exec(localOf(address));
  return match?.[1];
}
