// Signature files: every shipped row parses, a bad row is refused with its line, and a directory can be swapped in.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ipIn, loadSignatures, matchUserAgent, parseNetworkSignatures, parseUserAgentSignatures, SignatureFileError } from './signatures.ts';

describe('signature files', () => {
  it('ships user-agent rows whose example matches their own pattern', () => {
    const sigs = loadSignatures();
    expect(sigs.userAgents.length).toBeGreaterThan(20);
    for (const row of sigs.userAgents) {
      if (row.example.startsWith('(')) continue; // a description, not a UA
      expect(row.test(row.example.replace(/ -- .*$/, '')), `${row.pattern}: ${row.example}`).toBe(true);
    }
    expect(matchUserAgent(sigs, 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)')?.kind).toBe('mailbox_proxy');
    expect(matchUserAgent(sigs, 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)')?.kind).toBe('scanner');
    expect(matchUserAgent(sigs, 'Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36')).toBeUndefined();
    expect(matchUserAgent(sigs, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36')).toBeUndefined();
  });

  it('matches IPv4, IPv6 and IPv4-mapped addresses against the shipped ranges', () => {
    const sigs = loadSignatures();
    expect(ipIn(sigs.gatewayAll, '40.107.218.12')).toBe(true);
    expect(ipIn(sigs.gatewayAll, '::ffff:104.47.1.254')).toBe(true);
    expect(ipIn(sigs.gatewayAll, '2a01:111:f403:c000::1')).toBe(true);
    expect(ipIn(sigs.gatewayAll, '40.94.16.3')).toBe(false);
    expect(ipIn(sigs.appleRelay, '2a02:26f7:c8c1::9')).toBe(true);
    expect(ipIn(sigs.appleRelay, 'not an ip')).toBe(false);
  });

  it('ships every gateway and relay range with its source and the date it was read', () => {
    const text = readFileSync(new URL('./signatures/networks.tsv', import.meta.url), 'utf8');
    const rows = text.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split('\t'));
    expect(rows.length).toBeGreaterThan(15);
    for (const [kind, cidr, , source, asOf] of rows) {
      expect(source, `${kind} ${cidr}`).toMatch(/^S\d+/);
      expect(asOf, `${kind} ${cidr}`).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
    // Microsoft's published Exchange Online Protection ranges (S30), where Defender detonates links.
    const sigs = loadSignatures();
    for (const ip of ['40.92.4.1', '40.93.250.9', '40.107.218.12', '52.100.1.1', '52.103.255.254', '104.47.126.1', '2a01:111:f400::1', '2a01:111:f403:ffff::9']) {
      expect(ipIn(sigs.gatewayAll, ip), ip).toBe(true);
    }
    for (const ip of ['40.94.16.3', '104.47.128.1', '52.104.0.1', '20.72.100.79']) expect(ipIn(sigs.gatewayAll, ip), ip).toBe(false);
  });

  it('refuses a bad row and says which line', () => {
    expect(() => parseUserAgentSignatures('# c\nscanner\tsometimes\tx\tS1\n', 'ua.tsv')).toThrow(/ua\.tsv:2: "how" is exact, contains or regex/);
    expect(() => parseUserAgentSignatures('scanner\tregex\t(\tS1\n', 'ua.tsv')).toThrow(SignatureFileError);
    expect(() => parseNetworkSignatures('gateway\t40.107.0.0/33\tall\tS4\n', 'n.tsv')).toThrow(/n\.tsv:1: "40\.107\.0\.0\/33" is not a CIDR range/);
    expect(() => parseNetworkSignatures('gateway\t10.0.0.0/8\n', 'n.tsv')).toThrow(/expected 4 tab-separated columns/);
    expect(() => parseNetworkSignatures('gateway\t10.0.0.0/8\tall\tS4\tlast week\n', 'n.tsv')).toThrow(/n\.tsv:1: as_of is a date/);
    expect(() => parseNetworkSignatures('gateway\t10.0.0.0/8\tall\tS4\t2026-11-23\n', 'n.tsv')).not.toThrow();
  });

  it('reads a swapped-in directory, falling back to the built-in file it lacks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sigs-'));
    try {
      await writeFile(join(dir, 'networks.tsv'), 'gateway\t198.51.100.0/24\tclicks\tlocal list\n');
      const sigs = loadSignatures(dir);
      expect(ipIn(sigs.gatewayClicks, '198.51.100.20')).toBe(true);
      expect(ipIn(sigs.gatewayAll, '40.107.218.12')).toBe(false);
      expect(matchUserAgent(sigs, 'python-requests/2.31.0')?.kind).toBe('scanner');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
