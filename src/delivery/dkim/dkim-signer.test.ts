import { createPrivateKey } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely, KyselyPlugin } from 'kysely';
import nodemailer from 'nodemailer';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import type { Database } from '../../store/database.ts';
import { newId } from '../../shared/ids.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { addDomain } from './add-domain.ts';
import { createDomainKey, type DkimAlgorithm } from './create-domain-key.ts';
import { dnsRecordsFor, type DnsRecord } from './dns-records.ts';
import { createDkimSigner, needsRawSigning, nodemailerDkimOptions, signRawMessage, type DkimKey } from './dkim-signer.ts';

async function createProject(db: Kysely<Database>): Promise<string> {
  const id = newId();
  await db.insertInto('projects').values({ id, name: `project ${id}` }).execute();
  return id;
}

/** DNS for the verifier, serving exactly the records `domains add` tells the user to publish. */
function fakeDns(records: DnsRecord[]) {
  return async (name: string, rrtype: string): Promise<string[][]> => {
    const found = records.filter((r) => r.type === rrtype && r.name === name.toLowerCase());
    if (found.length === 0) throw Object.assign(new Error(`queryTxt ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
    // Served as the split character-strings, like a real resolver returns a long TXT record.
    return found.map((r) => r.strings);
  };
}

/** Builds and signs the message the way the delivery worker does, per algorithm. */
async function buildSignedMessage(key: DkimKey, from = `Ann <ann@${key.domainName}>`): Promise<Buffer> {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
  const mail = { from, to: 'bob@example.org', subject: 'Your invoice', text: 'Amount due: 10 EUR\n' };
  const info = await transport.sendMail(needsRawSigning(key) ? mail : { ...mail, dkim: nodemailerDkimOptions(key) });
  const raw = info.message as Buffer;
  return needsRawSigning(key) ? signRawMessage(raw, key) : raw;
}

async function verify(message: Buffer, records: DnsRecord[]) {
  const { results } = await dkimVerify(message, { resolver: fakeDns(records) });
  return results.map((r) => ({ result: r.status.result, comment: r.status.comment, domain: r.signingDomain }));
}

/** Counts the statements sent through the returned db. */
function countingQueries(db: Kysely<Database>): { db: Kysely<Database>; count: () => number } {
  let queries = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => (queries++, args.node),
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(plugin), count: () => queries };
}

describe.each(STORE_KINDS)('DKIM signing on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it.each<DkimAlgorithm>(['rsa', 'ed25519'])('%s: mail from a domain with a key passes an independent DKIM check', async (algorithm) => {
    const projectId = await createProject(store.db);
    const { records } = await addDomain(store.db, projectId, 'example.com', { algorithm });
    const key = await createDkimSigner(store.db).keyFor(projectId, 'example.com');
    if (!key) throw new Error('no key');
    expect(key.algorithm).toBe(algorithm);
    const message = await buildSignedMessage(key);
    expect(await verify(message, records)).toEqual([
      expect.objectContaining({ result: 'pass', domain: 'example.com' }),
    ]);
  });

  it.each<DkimAlgorithm>(['rsa', 'ed25519'])('%s: a changed body or subject no longer verifies', async (algorithm) => {
    const projectId = await createProject(store.db);
    const { records } = await addDomain(store.db, projectId, 'example.com', { algorithm });
    const key = await createDkimSigner(store.db).keyFor(projectId, 'example.com');
    const message = (await buildSignedMessage(key!)).toString('latin1');
    const body = await verify(Buffer.from(message.replace('10 EUR', '99 EUR'), 'latin1'), records);
    // mailauth reports a body hash mismatch as "neutral" (RFC 6376 section 6.1.3: PERMFAIL), a
    // signature mismatch as "fail"; either way the mail is not authenticated.
    expect(body).toEqual([expect.objectContaining({ result: 'neutral', comment: 'body hash did not verify' })]);
    const header = await verify(Buffer.from(message.replace('Your invoice', 'Your refund'), 'latin1'), records);
    expect(header).toEqual([expect.objectContaining({ result: 'fail', comment: 'bad signature' })]);
  });

  it('signs mail from a subdomain with the registered parent domain, which DMARC aligns', async () => {
    const projectId = await createProject(store.db);
    const { records } = await addDomain(store.db, projectId, 'example.com', { algorithm: 'ed25519' });
    const key = await createDkimSigner(store.db).keyFor(projectId, 'News.Example.com');
    expect(key?.domainName).toBe('example.com');
    const message = await buildSignedMessage(key!, 'news@news.example.com');
    expect(await verify(message, records)).toEqual([expect.objectContaining({ result: 'pass', domain: 'example.com' })]);
  });

  it('finds no key for a domain the project has not added, nor for another project\'s domain', async () => {
    const [mine, other] = [await createProject(store.db), await createProject(store.db)];
    await addDomain(store.db, other, 'other.example.com', { algorithm: 'ed25519' });
    const signer = createDkimSigner(store.db);
    expect(await signer.keyFor(mine, 'other.example.com')).toBeUndefined();
    expect(await signer.keyFor(mine, 'com')).toBeUndefined();
  });

  it('parses a key once: the second lookup returns the same KeyObject without a query', async () => {
    const projectId = await createProject(store.db);
    await addDomain(store.db, projectId, 'example.com');
    const counted = countingQueries(store.db);
    const signer = createDkimSigner(counted.db);
    const first = await signer.keyFor(projectId, 'example.com');
    expect(counted.count()).toBe(1);
    const second = await signer.keyFor(projectId, 'example.com');
    expect(second?.privateKey).toBe(first?.privateKey);
    expect(counted.count()).toBe(1);
  });

  it('a burst of first lookups for one domain makes a single query', async () => {
    const projectId = await createProject(store.db);
    await addDomain(store.db, projectId, 'example.com', { algorithm: 'ed25519' });
    const counted = countingQueries(store.db);
    const signer = createDkimSigner(counted.db);
    const keys = await Promise.all(Array.from({ length: 20 }, () => signer.keyFor(projectId, 'example.com')));
    expect(new Set(keys.map((k) => k?.privateKey)).size).toBe(1);
    expect(counted.count()).toBe(1);
  });

  it('remembers a missing key briefly, then picks up a domain added meanwhile', async () => {
    const projectId = await createProject(store.db);
    let clock = 1_000_000;
    const counted = countingQueries(store.db);
    const signer = createDkimSigner(counted.db, { missTtlMs: 30_000, now: () => clock });
    expect(await signer.keyFor(projectId, 'late.example.com')).toBeUndefined();
    await addDomain(store.db, projectId, 'late.example.com', { algorithm: 'ed25519' });
    clock += 29_000;
    expect(await signer.keyFor(projectId, 'late.example.com')).toBeUndefined();
    expect(counted.count()).toBe(1);
    clock += 2_000;
    expect((await signer.keyFor(projectId, 'late.example.com'))?.domainName).toBe('late.example.com');
  });

  it('re-reads a found key after its TTL but keeps the parsed KeyObject when the key is unchanged', async () => {
    const projectId = await createProject(store.db);
    await addDomain(store.db, projectId, 'example.com', { algorithm: 'ed25519' });
    let clock = 0;
    const counted = countingQueries(store.db);
    const signer = createDkimSigner(counted.db, { hitTtlMs: 60_000, now: () => clock });
    const first = await signer.keyFor(projectId, 'example.com');
    clock += 61_000;
    const second = await signer.keyFor(projectId, 'example.com');
    expect(counted.count()).toBe(2);
    expect(second?.privateKey).toBe(first?.privateKey);
  });
});

describe('choosing the signing path', () => {
  const asKey = (algorithm: DkimAlgorithm): DkimKey & { publicKey: string } => {
    const k = createDomainKey(algorithm);
    const privateKey = createPrivateKey(k.privateKeyPem);
    return { domainName: 'example.com', keySelector: k.selector, algorithm, privateKeyPem: k.privateKeyPem, privateKey, publicKey: k.publicKey };
  };

  it('sends RSA keys through nodemailer and refuses Ed25519 there, which nodemailer would leave unsigned', () => {
    const rsa = asKey('rsa');
    expect(needsRawSigning(rsa)).toBe(false);
    expect(nodemailerDkimOptions(rsa)).toEqual({ domainName: 'example.com', keySelector: rsa.keySelector, privateKey: rsa.privateKey });
    const ed = asKey('ed25519');
    expect(needsRawSigning(ed)).toBe(true);
    expect(() => nodemailerDkimOptions(ed)).toThrow(/signRawMessage/);
  });

  it('signRawMessage signs with an RSA key as well, for callers that only have the built message', async () => {
    const key = asKey('rsa');
    const transport = nodemailer.createTransport({ streamTransport: true, buffer: true });
    const info = await transport.sendMail({ from: 'ann@example.com', to: 'bob@example.org', subject: 'Hi', text: 'Hello\n' });
    const signed = await signRawMessage(info.message as Buffer, key);
    expect(signed.toString('latin1')).toMatch(/^DKIM-Signature: /);
    const records = dnsRecordsFor('example.com', key.keySelector, 'rsa', key.publicKey);
    expect(await verify(signed, records)).toEqual([expect.objectContaining({ result: 'pass' })]);
  });
});
