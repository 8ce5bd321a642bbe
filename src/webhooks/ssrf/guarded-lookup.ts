// DNS for webhooks, checked: every address a host name resolves to must pass the address policy,
// at save time and again when each request connects (Node calls the agent's `lookup` for every
// connection), so a name that resolved to a public address when the endpoint was saved and to
// 127.0.0.1 since (DNS rebinding) is refused. A host name with any refused address is refused as a
// whole rather than filtered: a name that mixes public and private answers is not to be trusted.
import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import type { AddressPolicy } from './address-policy.ts';

/** Resolves a host name to its addresses (the system resolver in production; tests inject one). */
export type Resolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: Resolver = (hostname) =>
  new Promise((resolve, reject) => dnsLookup(hostname, { all: true, verbatim: true }, (err, addresses) => (err ? reject(err) : resolve(addresses))));

export class RefusedAddressError extends Error {
  readonly code = 'EWEBHOOKADDRESS';
}

/** The host's addresses, all allowed, or a RefusedAddressError naming the first refused one. */
export async function resolveAllowed(host: string, resolver: Resolver, policy: AddressPolicy): Promise<LookupAddress[]> {
  const bare = host.startsWith('[') ? host.slice(1, -1) : host;
  const family = isIP(bare);
  const addresses = family ? [{ address: bare, family }] : await resolver(bare);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  for (const { address } of addresses) {
    const verdict = policy.judge(address);
    if (!verdict.allowed) throw new RefusedAddressError(`${host} resolves to ${verdict.why}; allow it with WEBHOOK_ALLOWED_NETWORKS`);
  }
  return addresses;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A `lookup` for http.request / net.connect that resolves through `resolver` and refuses what the policy refuses. */
export function guardedLookup(resolver: Resolver, policy: AddressPolicy) {
  return (hostname: string, options: LookupOptions, callback: LookupCallback): void => {
    resolveAllowed(hostname, resolver, policy).then(
      (addresses) => {
        const wanted = options.family ? addresses.filter((a) => a.family === options.family) : addresses;
        if (wanted.length === 0) return callback(Object.assign(new Error(`${hostname} has no IPv${options.family} address`), { code: 'ENOTFOUND' }), '');
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]!.address, wanted[0]!.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, ''),
    );
  };
}
