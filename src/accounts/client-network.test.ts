// Which sign-in attempts count as coming from one network.
import { describe, expect, it } from 'vitest';
import { clientNetworkOf } from './client-network.ts';

describe('the client network of a sign-in attempt', () => {
  it.each([
    ['an IPv4 address is itself', '203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped IPv6 address is its IPv4 address', '::ffff:203.0.113.7', '203.0.113.7'],
    ['an IPv4-mapped address written in hex is its IPv4 address too', '::ffff:cb00:7107', '203.0.113.7'],
    ['an IPv6 address counts as its /64', '2001:db8:aaaa:bbbb:1:2:3:4', '2001:db8:aaaa:bbbb::/64'],
    ['another address of the same /64 is the same network', '2001:0db8:aaaa:bbbb:ffff:ffff:ffff:ffff', '2001:db8:aaaa:bbbb::/64'],
    ['a compressed address is expanded first', '2001:db8::1', '2001:db8:0:0::/64'],
    ['the loopback', '::1', '0:0:0:0::/64'],
    ['a zone is not part of the network', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['an address with an embedded IPv4 tail that is not mapped', '64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    ['what is not an IP address is left as it is', 'unknown', 'unknown'],
  ])('%s', (_name, ip, network) => {
    expect(clientNetworkOf(ip)).toBe(network);
  });

  it('tells apart two /64s of one /48', () => {
    expect(clientNetworkOf('2001:db8:1:1::1')).not.toBe(clientNetworkOf('2001:db8:1:2::1'));
  });
});
