// The classifier's signature lists: user-agent and network rows read from data files, each with its source.
import { readFileSync } from 'node:fs';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type UaKind = 'scanner' | 'proxy_prefetch' | 'mailbox_proxy';
export type UaSignature = { kind: UaKind; test: (ua: string) => boolean; pattern: string; source: string; example: string };
export type NetworkKind = 'apple_relay' | 'gateway';
export type NetworkScope = 'all' | 'clicks';

export type Signatures = {
  userAgents: UaSignature[];
  appleRelay: BlockList;
  /** Gateways that scan pixels and links alike, and those that count only on clicks. */
  gatewayAll: BlockList;
  gatewayClicks: BlockList;
};

export const USER_AGENTS_FILE = 'user-agents.tsv';
export const NETWORKS_FILE = 'networks.tsv';
const BUILT_IN_DIR = fileURLToPath(new URL('./signatures/', import.meta.url));

export class SignatureFileError extends Error {
  override name = 'SignatureFileError';
}

/** Data rows of a tab-separated file: `#` starts a comment line, blank lines are skipped. */
function rowsOf(text: string, file: string, columns: number): Array<{ line: number; cells: string[] }> {
  const rows: Array<{ line: number; cells: string[] }> = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    if (cells.length < columns) throw new SignatureFileError(`${file}:${i + 1}: expected ${columns} tab-separated columns, got ${cells.length}`);
    rows.push({ line: i + 1, cells });
  });
  return rows;
}

const UA_KINDS: readonly UaKind[] = ['scanner', 'proxy_prefetch', 'mailbox_proxy'];

export function parseUserAgentSignatures(text: string, file = USER_AGENTS_FILE): UaSignature[] {
  return rowsOf(text, file, 4).map(({ line, cells: [kind, how, pattern, source, example] }) => {
    const where = `${file}:${line}`;
    if (!UA_KINDS.includes(kind as UaKind)) throw new SignatureFileError(`${where}: unknown kind "${kind}"`);
    const p = pattern!;
    let test: (ua: string) => boolean;
    if (how === 'exact') test = (ua) => ua === p;
    else if (how === 'contains') {
      const lower = p.toLowerCase();
      test = (ua) => ua.toLowerCase().includes(lower);
    } else if (how === 'regex') {
      let re: RegExp;
      try {
        re = new RegExp(p, 'i');
      } catch (err) {
        throw new SignatureFileError(`${where}: bad regex: ${(err as Error).message}`);
      }
      test = (ua) => re.test(ua);
    } else throw new SignatureFileError(`${where}: "how" is exact, contains or regex, not "${how}"`);
    return { kind: kind as UaKind, test, pattern: p, source: source ?? '', example: example ?? '' };
  });
}

export function parseNetworkSignatures(text: string, file = NETWORKS_FILE): Pick<Signatures, 'appleRelay' | 'gatewayAll' | 'gatewayClicks'> {
  const appleRelay = new BlockList();
  const gatewayAll = new BlockList();
  const gatewayClicks = new BlockList();
  for (const { line, cells: [kind, cidr, scope, , asOf] } of rowsOf(text, file, 4)) {
    const where = `${file}:${line}`;
    if (asOf !== undefined && asOf.trim() !== '' && !isDate(asOf.trim())) throw new SignatureFileError(`${where}: as_of is a date (YYYY-MM-DD), not "${asOf}"`);
    const [addr, bits] = cidr!.split('/');
    const family = isIPv4(addr!) ? 'ipv4' : isIPv6(addr!) ? 'ipv6' : undefined;
    const prefix = Number(bits);
    if (!family || !Number.isInteger(prefix) || prefix < 0 || prefix > (family === 'ipv4' ? 32 : 128)) {
      throw new SignatureFileError(`${where}: "${cidr}" is not a CIDR range`);
    }
    if (scope !== 'all' && scope !== 'clicks') throw new SignatureFileError(`${where}: scope is all or clicks, not "${scope}"`);
    const list = kind === 'apple_relay' ? appleRelay : kind === 'gateway' ? (scope === 'all' ? gatewayAll : gatewayClicks) : undefined;
    if (!list) throw new SignatureFileError(`${where}: unknown kind "${kind}"`);
    list.addSubnet(addr!, prefix, family);
  }
  return { appleRelay, gatewayAll, gatewayClicks };
}

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));

/** Loads both lists from a directory; a file missing there falls back to the built-in one. */
export function loadSignatures(dir?: string): Signatures {
  const read = (name: string) => {
    if (dir) {
      try {
        return { text: readFileSync(join(dir, name), 'utf8'), file: join(dir, name) };
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    }
    return { text: readFileSync(join(BUILT_IN_DIR, name), 'utf8'), file: name };
  };
  const ua = read(USER_AGENTS_FILE);
  const nets = read(NETWORKS_FILE);
  return { userAgents: parseUserAgentSignatures(ua.text, ua.file), ...parseNetworkSignatures(nets.text, nets.file) };
}

/** Whether `ip` is in `list`; IPv4-mapped IPv6 (`::ffff:1.2.3.4`, as Node reports dual-stack peers) counts as IPv4. */
export function ipIn(list: BlockList, ip: string): boolean {
  let cache = ipCache.get(list);
  if (!cache) ipCache.set(list, (cache = new Map()));
  const known = cache.get(ip);
  if (known !== undefined) return known;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  const found = isIPv4(v4) ? list.check(v4, 'ipv4') : isIPv6(ip) ? list.check(ip, 'ipv6') : false;
  if (cache.size >= IP_CACHE_LIMIT) cache.clear();
  cache.set(ip, found);
  return found;
}

// BlockList.check builds a SocketAddress per call, the costliest step of classifying a hit; an
// address hits an email's links and pixel several times and comes back for other emails.
const IP_CACHE_LIMIT = 50_000;
const ipCache = new WeakMap<BlockList, Map<string, boolean>>();

// Real traffic repeats a few hundred user agents, and every hit is matched against every prior hit
// of its email (burst rules): remember each answer per signature set. Bounded, since UAs are untrusted.
const UA_CACHE_LIMIT = 10_000;
const uaCache = new WeakMap<Signatures, Map<string, UaSignature | null>>();

/** The first user-agent signature that matches, in file order. */
export function matchUserAgent(sigs: Signatures, ua: string): UaSignature | undefined {
  let cache = uaCache.get(sigs);
  if (!cache) uaCache.set(sigs, (cache = new Map()));
  const known = cache.get(ua);
  if (known !== undefined) return known ?? undefined;
  const found = sigs.userAgents.find((s) => s.test(ua.trim()));
  if (cache.size >= UA_CACHE_LIMIT) cache.clear();
  cache.set(ua, found ?? null);
  return found;
}
