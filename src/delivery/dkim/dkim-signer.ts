// Finding a sender's DKIM key (parsed once, cached) and signing with it, the way the worker sends.
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { domainToASCII } from 'node:url';
import type { Kysely } from 'kysely';
import type { DKIMOptions } from 'nodemailer';
import type { Database } from '../../store/database.ts';
import type { DkimAlgorithm } from './create-domain-key.ts';
import { findDomainsNamed, type DomainRow } from './domains.repository.ts';

export type DkimKey = {
  /** The signing domain (`d=`): the From domain or the nearest registered parent of it. */
  domainName: string;
  keySelector: string;
  algorithm: DkimAlgorithm;
  privateKey: KeyObject;
  privateKeyPem: string;
};

export type DkimSigner = {
  /** The key to sign mail from `fromDomain` with, or undefined to send unsigned. */
  keyFor(projectId: string, fromDomain: string): Promise<DkimKey | undefined>;
  /** Drops what is cached for `domain` and its subdomains (their key may be the domain's): it was added or removed. */
  forget(projectId: string, domain: string): void;
};

export type DkimSignerOptions = {
  /** How long "no key for this domain" is believed: a domain added meanwhile is signed after this. */
  missTtlMs?: number;
  /** How long a found key is kept before the row is read again (a rotated key is picked up). */
  hitTtlMs?: number;
  now?: () => number;
};

// Parsing a PEM costs as much as signing (~0.7 ms for RSA-2048): nodemailer signing with a PEM
// string managed ~480 msg/s, with a parsed KeyObject ~820. Parse once per key, re-read rows rarely.
const MISS_TTL_MS = 30_000;
const HIT_TTL_MS = 10 * 60_000;
// Only misses for arbitrary From domains can pile up; past this size expired entries are dropped.
const SWEEP_ABOVE_ENTRIES = 10_000;

type Entry = { key: Promise<DkimKey | undefined>; expiresAt: number };

export function createDkimSigner(db: Kysely<Database>, options: DkimSignerOptions = {}): DkimSigner {
  const missTtlMs = options.missTtlMs ?? MISS_TTL_MS;
  const hitTtlMs = options.hitTtlMs ?? HIT_TTL_MS;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Entry>();

  async function load(projectId: string, domain: string, stale?: Promise<DkimKey | undefined>): Promise<DkimKey | undefined> {
    const previous = await stale?.catch(() => undefined);
    const candidates = parentDomains(domain);
    const rows = await findDomainsNamed(db, projectId, candidates);
    // The most specific registered domain wins: news.example.com's own key over example.com's.
    const row = candidates.map((name) => rows.find((r) => r.name === name)).find((r) => r !== undefined);
    return row ? toKey(row, previous) : undefined;
  }

  function remember(cacheKey: string, projectId: string, domain: string, stale?: Entry): Entry {
    const entry: Entry = { key: load(projectId, domain, stale?.key), expiresAt: Number.POSITIVE_INFINITY };
    // The promise itself is cached, so a burst of messages for a new domain makes one query.
    entry.key.then(
      (key) => (entry.expiresAt = now() + (key ? hitTtlMs : missTtlMs)),
      () => cache.get(cacheKey) === entry && cache.delete(cacheKey),
    );
    if (cache.size >= SWEEP_ABOVE_ENTRIES) sweep(cache, now());
    cache.set(cacheKey, entry);
    return entry;
  }

  return {
    async keyFor(projectId, fromDomain) {
      const domain = domainToASCII(fromDomain.trim().toLowerCase().replace(/\.$/, ''));
      if (domain === '') return undefined;
      const cacheKey = `${projectId}\n${domain}`;
      const entry = cache.get(cacheKey);
      if (entry && entry.expiresAt > now()) return entry.key;
      // Replaced synchronously, so concurrent callers after expiry share one query.
      return remember(cacheKey, projectId, domain, entry).key;
    },
    forget(projectId, domain) {
      const prefix = `${projectId}\n`;
      for (const cacheKey of cache.keys()) {
        if (!cacheKey.startsWith(prefix)) continue;
        const cached = cacheKey.slice(prefix.length);
        if (cached === domain || cached.endsWith(`.${domain}`)) cache.delete(cacheKey);
      }
    },
  };
}

/** `a.b.example.com` -> [a.b.example.com, b.example.com, example.com]: never a bare TLD. */
function parentDomains(domain: string): string[] {
  const labels = domain.split('.');
  const names: string[] = [];
  for (let i = 0; i < labels.length - 1; i++) names.push(labels.slice(i).join('.'));
  return names;
}

function toKey(row: DomainRow, previous?: DkimKey): DkimKey {
  // A refreshed row with the same PEM keeps the parsed KeyObject: no re-parse every TTL.
  const privateKey =
    previous && previous.privateKeyPem === row.private_key ? previous.privateKey : createPrivateKey(row.private_key);
  return {
    domainName: row.name,
    keySelector: row.selector,
    algorithm: row.algorithm,
    privateKey,
    privateKeyPem: row.private_key,
  };
}

function sweep(cache: Map<string, Entry>, at: number): void {
  for (const [k, entry] of cache) if (entry.expiresAt <= at) cache.delete(k);
}

/**
 * nodemailer signs RSA only and sends Ed25519 mail unsigned without a word, so
 * Ed25519 keys go through mailauth on the built message instead.
 */
export function needsRawSigning(key: DkimKey): boolean {
  return key.algorithm !== 'rsa';
}

/**
 * The `dkim` mail option for nodemailer (RSA keys only). The KeyObject, not the PEM, is passed:
 * nodemailer hands it to crypto's sign, which otherwise parses the PEM per message (~820 vs ~480
 * msg/s). Header list: nodemailer's default (RFC 4871 section 5.5's list).
 */
export function nodemailerDkimOptions(key: DkimKey): DKIMOptions {
  if (needsRawSigning(key)) {
    throw new Error(`nodemailer cannot sign with a ${key.algorithm} key: use signRawMessage`);
  }
  return { domainName: key.domainName, keySelector: key.keySelector, privateKey: key.privateKey };
}

/**
 * Signs a complete RFC 5322 message with mailauth and returns it with the DKIM-Signature header
 * prepended. Works for RSA and Ed25519. mailauth takes only a PEM and parses it on every call
 * (~0.7 ms), which is why RSA keys use nodemailerDkimOptions instead.
 */
export async function signRawMessage(raw: Buffer, key: DkimKey): Promise<Buffer> {
  // Loaded on first use: mailauth adds ~18 MB of RSS to every worker, and only Ed25519 keys need it.
  const { dkimSign } = await import('mailauth/lib/dkim/sign.js');
  // mailauth's typings require single-key fields at the top level, but its signer reads only
  // signatureData (lib/dkim/dkim-signer.js), hence the cast.
  const result = await dkimSign(raw, {
    canonicalization: 'relaxed/relaxed',
    signatureData: [
      {
        signingDomain: key.domainName,
        selector: key.keySelector,
        privateKey: key.privateKeyPem,
        algorithm: `${key.algorithm}-sha256`,
      },
    ],
  } as Parameters<typeof dkimSign>[1]);
  const [error] = result.errors as Array<{ err?: Error } | Error>;
  if (error) {
    const cause = error instanceof Error ? error : error.err;
    throw new Error(`DKIM signing for ${key.domainName} failed: ${cause?.message ?? 'unknown error'}`, { cause });
  }
  return Buffer.concat([Buffer.from(result.signatures), raw]);
}
