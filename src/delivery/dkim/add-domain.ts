// Registering a sending domain with a DKIM key and saying what to publish (`sendtrail domains add`,
// POST /v1/domains), and removing one.
import { domainToASCII } from 'node:url';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { AppError } from '../../shared/app-error.ts';
import { newId } from '../../shared/ids.ts';
import { createDomainKey, type DkimAlgorithm } from './create-domain-key.ts';
import { dnsRecordsFor, type DnsRecord, type InboundMx } from './dns-records.ts';
import { deleteDomain, findDomain, insertDomain, type DomainRow } from './domains.repository.ts';
import { announceDomainChange } from './domain-changes.ts';

export type AddDomainOptions = {
  /** Defaults to RSA: every receiver verifies RSA, Ed25519 (RFC 8463) is not universal yet. */
  algorithm?: DkimAlgorithm;
  /** The Return-Path domain, when bounces go elsewhere; stored with the domain, the SPF record is then for it. */
  bounceDomain?: string;
  /** Not stored: the installation's BOUNCE_DOMAIN, for the records of a domain added without one. */
  defaultBounceDomain?: string;
  /** Adds the bounce domain's MX to the records. */
  inbound?: InboundMx;
  now?: Date;
};

export type DescribeOptions = Pick<AddDomainOptions, 'defaultBounceDomain' | 'inbound'>;

export type AddedDomain = {
  domain: string;
  selector: string;
  algorithm: DkimAlgorithm;
  /** The Return-Path domain the records' SPF (and MX) are for; undefined: SPF is on the domain itself. */
  bounceDomain?: string;
  records: DnsRecord[];
  /** False when the domain existed: its key is kept and `algorithm` is the existing key's. */
  wasCreated: boolean;
  row: DomainRow;
};

export async function addDomain(
  db: Kysely<Database>,
  projectId: string,
  domainName: string,
  options: AddDomainOptions = {},
): Promise<AddedDomain> {
  const domain = parseDomainName(domainName, 'domain');
  const bounceDomain = options.bounceDomain === undefined ? undefined : parseDomainName(options.bounceDomain, 'bounce_domain');
  let row = await findDomain(db, projectId, domain);
  let wasCreated = false;
  if (!row) {
    // Generated before knowing whether the insert wins; a lost race only wastes the key.
    const key = createDomainKey(options.algorithm ?? 'rsa', options.now);
    wasCreated = await insertDomain(db, {
      id: newId(),
      project_id: projectId,
      name: domain,
      selector: key.selector,
      algorithm: key.algorithm,
      private_key: key.privateKeyPem,
      public_key: key.publicKey,
      bounce_domain: bounceDomain ?? null,
    });
    row = await findDomain(db, projectId, domain);
    if (!row) throw new Error(`domain ${domain} vanished right after insert`);
    // Workers that cached "no key" for this domain (mail sent from it before) sign from now on.
    if (wasCreated) await announceDomainChange(db, projectId, domain);
  }
  return { ...describeDomain(row, options), wasCreated, row };
}

/** The records of an existing domain; the bounce domain it was added with, else the default. */
export function describeDomain(row: DomainRow, options: DescribeOptions = {}): Omit<AddedDomain, 'wasCreated' | 'row'> {
  const bounceDomain = row.bounce_domain ?? options.defaultBounceDomain;
  return {
    domain: row.name,
    selector: row.selector,
    algorithm: row.algorithm,
    bounceDomain,
    records: dnsRecordsFor(row.name, row.selector, row.algorithm, row.public_key, bounceDomain, options.inbound),
  };
}

/**
 * Removes a domain and its private key: mail from it goes out unsigned from the next message on
 * (workers are told at once). Adding it again makes a new key, with new records to publish.
 */
export async function removeDomain(db: Kysely<Database>, row: DomainRow): Promise<boolean> {
  const removed = await deleteDomain(db, row.project_id, row.id);
  if (removed) await announceDomainChange(db, row.project_id, row.name);
  return removed;
}

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_DOMAIN_LENGTH = 253;

/**
 * Lower-case ASCII form of a host name (RFC 1123 section 2.1); internationalised names become
 * punycode (`bücher.de` -> `xn--bcher-kva.de`), the form DKIM `d=` and DNS use.
 */
export function parseDomainName(input: string, field = 'domain'): string {
  const trimmed = input.trim().replace(/\.$/, '').toLowerCase();
  const reason = domainProblem(trimmed);
  if (reason) {
    throw new AppError('validation_error', `"${input}" is not a valid domain name: ${reason}`, [
      { path: `/${field}`, message: reason },
    ]);
  }
  return domainToASCII(trimmed);
}

function domainProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.includes('@')) return 'give the domain only, without the part before "@"';
  if (/[\s/:]/.test(name)) return 'a domain has no spaces, slashes or colons (give "example.com", not a URL)';
  const ascii = domainToASCII(name);
  if (ascii === '') return 'it contains characters a domain cannot have';
  if (ascii.length > MAX_DOMAIN_LENGTH) return `it is longer than ${MAX_DOMAIN_LENGTH} characters`;
  const labels = ascii.split('.');
  if (labels.length < 2) return 'it needs at least two labels, like "example.com"';
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined) {
    return `the label "${bad}" must be 1 to 63 letters, digits or hyphens, not starting or ending with a hyphen`;
  }
  if (/^[0-9]+$/.test(labels[labels.length - 1] ?? '')) return 'an IP address is not a domain';
  return undefined;
}
