// Which addresses webhooks may reach: public ones, and the networks the operator allows.
import { describe, expect, it } from 'vitest';
import { createAddressPolicy, parseNetworks } from './address-policy.ts';

describe('the webhook address policy', () => {
  const policy = createAddressPolicy();

  it.each([
    ['127.0.0.1', 'loopback'], ['10.1.2.3', 'private'], ['172.16.0.9', 'private'], ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'], ['100.64.0.1', 'carrierGradeNat'], ['224.0.0.1', 'multicast'],
    ['0.0.0.0', 'unspecified'], ['255.255.255.255', 'broadcast'], ['192.0.2.10', 'reserved'],
    ['::1', 'loopback'], ['::', 'unspecified'], ['fe80::1', 'linkLocal'], ['fd12:3456::1', 'uniqueLocal'],
    ['ff02::1', 'multicast'], ['::ffff:127.0.0.1', 'loopback'], ['::ffff:10.0.0.1', 'private'],
    ['64:ff9b::a00:1', 'rfc6052'], ['2002:a00:1::', '6to4'], ['2001:db8::1', 'reserved'], ['::7f00:1', 'not a global'],
  ])('refuses %s (%s)', (address, why) => {
    const verdict = policy.judge(address);
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed ? '' : verdict.why).toContain(why);
  });

  it.each(['93.184.216.34', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])('allows the public address %s', (address) => {
    expect(policy.judge(address)).toEqual({ allowed: true });
  });

  it('refuses what is not an IP address', () => {
    expect(policy.judge('example.com').allowed).toBe(false);
  });

  it('allows the networks the operator lists, and only those', () => {
    const allowing = createAddressPolicy(['127.0.0.1/32', 'fd00::/8', '10.9.9.9']);
    expect(allowing.judge('127.0.0.1').allowed).toBe(true);
    expect(allowing.judge('::ffff:127.0.0.1').allowed).toBe(true);
    expect(allowing.judge('127.0.0.2').allowed).toBe(false);
    expect(allowing.judge('fd00::5').allowed).toBe(true);
    expect(allowing.judge('10.9.9.9').allowed).toBe(true);
    expect(allowing.judge('10.9.9.8').allowed).toBe(false);
  });

  it('names a network it cannot read', () => {
    expect(() => parseNetworks(['127.0.0.1/33'])).toThrow(/127\.0\.0\.1\/33/);
    expect(() => parseNetworks(['localhost'])).toThrow(/localhost/);
  });
});
