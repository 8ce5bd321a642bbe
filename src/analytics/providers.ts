// The mailbox provider of a recipient domain: the `provider` dimension of the rollups. Consumer
// domains are known by name; any other domain (a company's, a school's) by its MX hosts, looked up
// once and kept in mailbox_providers.
import { Resolver } from 'node:dns/promises';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export const PROVIDERS = ['gmail', 'microsoft', 'yahoo', 'apple', 'other'] as const;
export type Provider = (typeof PROVIDERS)[number];

// A country-code TLD, or one under co./com. (co.uk, com.au): the forms the big providers' national
// domains take (hotmail.fr, yahoo.co.uk, live.com.au).
const NATIONAL = String.raw`(?:com|[a-z]{2}|co\.[a-z]{2}|com\.[a-z]{2})`;

const DOMAIN_RULES: readonly [RegExp, Provider][] = [
  [/^(?:gmail|googlemail)\.com$/, 'gmail'],
  [new RegExp(`^(?:outlook|hotmail|live)\\.${NATIONAL}$`), 'microsoft'],
  [/^(?:msn|windowslive)\.com$/, 'microsoft'],
  // Yahoo! JAPAN is a separate company with mail of its own: its MX decides (and says other).
  [/^yahoo\.co\.jp$/, 'other'],
  [new RegExp(`^(?:yahoo|aol)\\.${NATIONAL}$`), 'yahoo'],
  // AOL and Verizon's mailboxes are hosted by Yahoo.
  [/^(?:ymail|rocketmail|aim)\.com$|^verizon\.net$/, 'yahoo'],
  [/^(?:icloud|me|mac)\.com$/, 'apple'],
];

/** The provider of a well-known consumer domain; undefined when the name alone does not say. */
export function providerOfDomain(domain: string): Provider | undefined {
  const name = normalizeDomain(domain);
  if (name === undefined) return undefined;
  for (const [pattern, provider] of DOMAIN_RULES) {
    if (pattern.test(name)) return provider === 'other' ? undefined : provider;
  }
  return undefined;
}

// Host suffixes of the providers' inbound servers, as their setup guides tell customers to publish
// them: Google Workspace (aspmx.l.google.com and alts, smtp.google.com), Microsoft 365
// (<tenant>.mail.protection.outlook.com; consumer Outlook.com's *.olc.protection.outlook.com),
// Yahoo and AOL (mta*.am0.yahoodns.net), iCloud custom domains (mx0*.mail.icloud.com).
const MX_RULES: readonly [string, Provider][] = [
  ['.google.com', 'gmail'],
  ['.googlemail.com', 'gmail'],
  ['.outlook.com', 'microsoft'],
  ['.yahoodns.net', 'yahoo'],
  ['.mail.icloud.com', 'apple'],
];

/**
 * The provider whose servers receive a domain's mail, from its MX hosts in order of preference:
 * the most preferred host that names one decides. Undefined when none does.
 */
export function providerOfMx(hosts: readonly string[]): Provider | undefined {
  for (const host of hosts) {
    const name = host.trim().toLowerCase().replace(/\.$/, '');
    const rule = MX_RULES.find(([suffix]) => name.endsWith(suffix));
    if (rule) return rule[1];
  }
  return undefined;
}

export type ProviderLookupOptions = {
  db: Kysely<Database>;
  /** A domain's MX hosts in order of preference. Default: the system's DNS servers, one try. */
  resolveMx?: (domain: string) => Promise<string[]>;
  /** false: decide unknown domains without DNS, as 'other' (PROVIDER_MX_LOOKUP). */
  lookupMx?: boolean;
  /** Longest wait for one domain's MX answer; past it the domain is 'other'. */
  timeoutMs?: number;
  /** MX lookups in flight at once. */
  concurrency?: number;
};

export type ProviderLookup = {
  /**
   * The provider of each domain, keyed by the domain as given (decided on its lowercased form).
   * An empty or malformed domain is 'other'. With `decide: false`, a domain not decided yet is
   * left out rather than looked up (no DNS, no write), and `db` reads the stored decisions (a
   * caller inside a transaction passes it: PGlite has one connection).
   */
  providersOf(domains: readonly string[], options?: { db?: Kysely<Database>; decide?: boolean }): Promise<Map<string, Provider>>;
};

const DEFAULT_TIMEOUT_MS = 2_000;
const DEFAULT_CONCURRENCY = 8;
// Distinct recipient domains grow without bound over the years; the table keeps them all.
const CACHE_LIMIT = 50_000;
// Keeps one IN list and one INSERT well within PostgreSQL's bind-parameter limit.
const CHUNK = 1_000;
// A domain with dozens of MX hosts is odd; its first ones say enough.
const MX_KEPT = 10;

/**
 * Decides each recipient domain's provider once. Known consumer names need neither DNS nor the
 * database; any other domain is read from mailbox_providers, or looked up by MX, stored and read
 * back. Stored with ON CONFLICT DO NOTHING and always read back, a domain's provider is whatever
 * the first process to decide it wrote, and it never changes afterwards: rollups are keyed by
 * provider and add to rows already written, so a domain that moved between providers would split
 * its history across them. For the same reason a lookup that failed or timed out stays 'other',
 * and so do the domains decided while MX lookups are off.
 */
export function createProviderLookup(options: ProviderLookupOptions): ProviderLookup {
  const { db, lookupMx = true, timeoutMs = DEFAULT_TIMEOUT_MS, concurrency = DEFAULT_CONCURRENCY } = options;
  const resolveMx = options.resolveMx ?? systemMxResolver(timeoutMs);
  const decided = new Map<string, Provider>();

  const remember = (domain: string, provider: Provider) => {
    if (decided.size >= CACHE_LIMIT) decided.delete(decided.keys().next().value!);
    decided.set(domain, provider);
  };

  const readStored = async (domains: readonly string[], into: Map<string, Provider>, from: Kysely<Database> = db) => {
    for (let i = 0; i < domains.length; i += CHUNK) {
      const rows = await from
        .selectFrom('mailbox_providers')
        .select(['domain', 'provider'])
        .where('domain', 'in', domains.slice(i, i + CHUNK))
        .execute();
      for (const row of rows) {
        into.set(row.domain, asProvider(row.provider));
        remember(row.domain, asProvider(row.provider));
      }
    }
  };

  const lookUp = async (domain: string): Promise<{ domain: string; provider: Provider; mx: string | null }> => {
    if (!lookupMx) return { domain, provider: 'other', mx: null };
    const hosts = await withTimeout(resolveMx(domain), timeoutMs).catch(() => undefined);
    if (!hosts || hosts.length === 0) return { domain, provider: 'other', mx: null };
    const kept = hosts.slice(0, MX_KEPT).map((h) => h.toLowerCase().replace(/\.$/, ''));
    return { domain, provider: providerOfMx(kept) ?? 'other', mx: kept.join(',') };
  };

  return {
    async providersOf(domains, options = {}) {
      const result = new Map<string, Provider>();
      const unknown = new Map<string, Set<string>>(); // normalized domain -> the forms it was given in
      for (const given of domains) {
        if (result.has(given)) continue;
        const name = normalizeDomain(given);
        const known = name === undefined ? 'other' : (providerOfDomain(name) ?? decided.get(name));
        if (known) result.set(given, known);
        else unknown.set(name!, (unknown.get(name!) ?? new Set()).add(given));
      }
      if (unknown.size === 0) return result;

      const names = [...unknown.keys()];
      const found = new Map<string, Provider>();
      await readStored(names, found, options.db);
      const missing = names.filter((name) => !found.has(name));
      if (missing.length > 0 && options.decide !== false) {
        const rows = await mapBounded(missing, concurrency, lookUp);
        for (let i = 0; i < rows.length; i += CHUNK) {
          await db
            .insertInto('mailbox_providers')
            .values(rows.slice(i, i + CHUNK))
            .onConflict((oc) => oc.column('domain').doNothing())
            .execute();
        }
        // Another process may have decided some of them first: theirs stands.
        await readStored(missing, found);
      }
      for (const [name, forms] of unknown) {
        const provider = found.get(name) ?? (options.decide === false ? undefined : 'other');
        if (provider) for (const given of forms) result.set(given, provider);
      }
      return result;
    },
  };
}

// Lowercased, without a root dot; undefined for what cannot be a domain name (RFC 1035 lengths,
// letters, digits, hyphens and, for internationalized names already in Unicode, any non-ASCII).
function normalizeDomain(domain: string): string | undefined {
  const name = domain.trim().toLowerCase().replace(/\.$/, '');
  if (name.length === 0 || name.length > 253) return undefined;
  const labels = name.split('.');
  if (labels.length < 2) return undefined;
  const valid = labels.every((l) => l.length > 0 && l.length <= 63 && /^[a-z0-9\u0080-\uffff-]+$/.test(l) && !l.startsWith('-') && !l.endsWith('-'));
  return valid ? name : undefined;
}

function asProvider(value: string): Provider {
  return (PROVIDERS as readonly string[]).includes(value) ? (value as Provider) : 'other';
}

function systemMxResolver(timeoutMs: number): (domain: string) => Promise<string[]> {
  // One try: a domain that does not answer quickly is decided 'other', not waited for.
  const resolver = new Resolver({ timeout: timeoutMs, tries: 1 });
  return async (domain) => {
    const records = await resolver.resolveMx(domain);
    return records.sort((a, b) => a.priority - b.priority).map((r) => r.exchange);
  };
}

// Also bounds an injected resolver, and the system one when several name servers each time out.
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
