// The network a sign-in attempt comes from, as the rate limits count it: an IPv4 address, or the
// /64 of an IPv6 one, since a single subscriber or host is routinely handed a whole /64 and can
// rotate through its addresses at will (RFC 7421 §4; RFC 6177). An IPv4-mapped IPv6 address
// (::ffff:192.0.2.1, how a dual-stack socket reports an IPv4 client) is that IPv4 address.
import { isIPv4, isIPv6 } from 'node:net';

/** `203.0.113.7`, or `2001:db8:1:2::/64`; anything that is not an IP address is returned as it is. */
export function clientNetworkOf(ip: string): string {
  if (isIPv4(ip)) return ip;
  const address = ip.replace(/%.*$/, ''); // a zone (fe80::1%eth0) names an interface, not a network
  if (!isIPv6(address)) return ip;
  const groups = ipv6Groups(address);
  const isMapped = groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff;
  if (isMapped) return [groups[6]! >> 8, groups[6]! & 0xff, groups[7]! >> 8, groups[7]! & 0xff].join('.');
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address (`::` expanded, a trailing dotted IPv4 split in two). */
function ipv6Groups(address: string): number[] {
  const toGroups = (part: string): number[] =>
    part === ''
      ? []
      : part.split(':').flatMap((g) => {
          if (!g.includes('.')) return [parseInt(g, 16)];
          const [a, b, c, d] = g.split('.').map(Number) as [number, number, number, number];
          return [(a << 8) | b, (c << 8) | d];
        });
  const [head, tail] = address.split('::') as [string, string | undefined];
  if (tail === undefined) return toGroups(head);
  const [first, last] = [toGroups(head), toGroups(tail)];
  return [...first, ...new Array<number>(8 - first.length - last.length).fill(0), ...last];
}
