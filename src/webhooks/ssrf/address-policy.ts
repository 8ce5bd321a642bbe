// Which addresses a webhook may be sent to (issue 21, SSRF): public unicast ones only, unless the
// operator lists a network in WEBHOOK_ALLOWED_NETWORKS. An address is refused when it is loopback,
// private (RFC 1918), link-local, unique-local (fc00::/7), CGNAT (100.64/10), multicast,
// unspecified, broadcast, reserved or documentation space, or an IPv6 form that carries an IPv4
// address (IPv4-mapped, NAT64, 6to4, Teredo): ipaddr.js names every such range, and an IPv4-mapped
// address is judged as the IPv4 address it maps.
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; why: string };

export type AddressPolicy = {
  /** Whether a webhook may connect to `address` (an IP literal; anything else is refused). */
  judge(address: string): AddressVerdict;
};

/** Parses WEBHOOK_ALLOWED_NETWORKS' CIDRs (a bare address is its own /32 or /128); throws on a bad one. */
export function parseNetworks(cidrs: readonly string[]): Array<[ipaddr.IPv4 | ipaddr.IPv6, number]> {
  return cidrs.map((c) => {
    try {
      return c.includes('/') ? ipaddr.parseCIDR(c) : (() => {
        const a = ipaddr.parse(c);
        return [a, a.kind() === 'ipv4' ? 32 : 128] as [ipaddr.IPv4 | ipaddr.IPv6, number];
      })();
    } catch {
      throw new Error(`WEBHOOK_ALLOWED_NETWORKS: "${c}" is not an IP address or CIDR`);
    }
  });
}

// 2000::/3 is the only IPv6 space handed out as global unicast (RFC 4291 section 2.4); ipaddr.js
// calls some addresses outside it "unicast" too (the deprecated IPv4-compatible ::a.b.c.d).
const GLOBAL_UNICAST_V6 = ipaddr.parseCIDR('2000::/3');

export function createAddressPolicy(allowedNetworks: readonly string[] = []): AddressPolicy {
  const allowed = parseNetworks(allowedNetworks);
  return {
    judge(address) {
      if (!ipaddr.isValid(address)) return { allowed: false, why: `${address} is not an IP address` };
      // An IPv4-mapped IPv6 address (::ffff:127.0.0.1) is the IPv4 address it maps.
      const ip = ipaddr.process(address);
      if (allowed.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits))) return { allowed: true };
      const range = ip.range();
      if (range !== 'unicast') return { allowed: false, why: `${ip.toString()} is a ${range} address` };
      if (ip.kind() === 'ipv6' && !ip.match(GLOBAL_UNICAST_V6)) return { allowed: false, why: `${ip.toString()} is not a global unicast address` };
      return { allowed: true };
    },
  };
}
