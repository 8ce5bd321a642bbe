import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import { newId } from '../../shared/ids.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { addDomain, parseDomainName } from './add-domain.ts';
import { listDomains } from './domains.repository.ts';

async function createProject(db: Kysely<Database>): Promise<string> {
  const id = newId();
  await db.insertInto('projects').values({ id, name: `project ${id}` }).execute();
  return id;
}

describe.each(STORE_KINDS)('addDomain on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => {
    await store?.close();
  });

  it('creates an RSA key for a new domain and returns the DKIM, SPF and DMARC records to publish', async () => {
    const projectId = await createProject(store.db);
    const added = await addDomain(store.db, projectId, 'example.com', { now: new Date('2024-05-17T00:00:00Z') });
    expect(added).toMatchObject({ domain: 'example.com', selector: 'st202405', algorithm: 'rsa', wasCreated: true });
    expect(added.records.map((r) => r.name)).toEqual(['st202405._domainkey.example.com', 'example.com', '_dmarc.example.com']);
    const [row] = await listDomains(store.db, projectId);
    expect(row).toMatchObject({ name: 'example.com', selector: 'st202405', algorithm: 'rsa' });
    expect(added.records[0]?.value).toBe(`v=DKIM1; k=rsa; p=${row?.public_key}`);
  });

  it('adding the same domain again keeps its key and returns the same records', async () => {
    const projectId = await createProject(store.db);
    const first = await addDomain(store.db, projectId, 'example.com');
    const again = await addDomain(store.db, projectId, 'Example.COM.', { algorithm: 'ed25519' });
    expect(again.wasCreated).toBe(false);
    expect(again.algorithm).toBe('rsa');
    expect(again.records).toEqual(first.records);
    expect(await listDomains(store.db, projectId)).toHaveLength(1);
  });

  it('two concurrent adds of one domain end with one key that both report', async () => {
    const projectId = await createProject(store.db);
    const [a, b] = await Promise.all([
      addDomain(store.db, projectId, 'race.example.com', { algorithm: 'ed25519' }),
      addDomain(store.db, projectId, 'race.example.com', { algorithm: 'ed25519' }),
    ]);
    expect(a.records).toEqual(b.records);
    expect([a.wasCreated, b.wasCreated].filter(Boolean)).toHaveLength(1);
    expect(await listDomains(store.db, projectId)).toHaveLength(1);
  });

  it('creates an Ed25519 key when asked', async () => {
    const projectId = await createProject(store.db);
    const added = await addDomain(store.db, projectId, 'ed.example.com', { algorithm: 'ed25519' });
    expect(added.algorithm).toBe('ed25519');
    expect(added.records[0]?.value).toMatch(/^v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}=$/);
  });

  it('gives each project its own key for the same domain', async () => {
    const [p1, p2] = [await createProject(store.db), await createProject(store.db)];
    const a = await addDomain(store.db, p1, 'shared.example.com', { algorithm: 'ed25519' });
    const b = await addDomain(store.db, p2, 'shared.example.com', { algorithm: 'ed25519' });
    expect(b.wasCreated).toBe(true);
    expect(b.records[0]?.value).not.toBe(a.records[0]?.value);
  });

  it('puts SPF on the bounce domain when one is given', async () => {
    const projectId = await createProject(store.db);
    const added = await addDomain(store.db, projectId, 'example.com', { bounceDomain: 'Bounces.Example.com' });
    expect(added.records.find((r) => r.value.startsWith('v=spf1'))?.name).toBe('bounces.example.com');
  });

  it('refuses an invalid domain with a validation_error before touching the store', async () => {
    const projectId = await createProject(store.db);
    await expect(addDomain(store.db, projectId, 'https://example.com/')).rejects.toMatchObject({
      code: 'validation_error',
      message: expect.stringContaining('not a URL'),
    });
    expect(await listDomains(store.db, projectId)).toHaveLength(0);
  });
});

describe('parseDomainName', () => {
  it('lower-cases, drops the root dot and turns international names into punycode', () => {
    expect(parseDomainName(' Mail.Example.COM. ')).toBe('mail.example.com');
    expect(parseDomainName('Bücher.de')).toBe('xn--bcher-kva.de');
  });

  it.each([
    ['', 'empty'],
    ['ann@example.com', 'without the part before "@"'],
    ['https://example.com', 'not a URL'],
    ['localhost', 'at least two labels'],
    ['a..com', 'label ""'],
    ['-bad.com', 'label "-bad"'],
    ['under_score.com', 'label "under_score"'],
    [`${'x'.repeat(64)}.com`, '1 to 63'],
    [`${'abcdefghi.'.repeat(26)}com`, 'longer than 253'],
    ['192.168.1.10', 'IP address'],
  ])('refuses %j, saying why (%s)', (input, reason) => {
    expect(() => parseDomainName(input)).toThrowError(
      expect.objectContaining({ code: 'validation_error', message: expect.stringContaining(reason) }),
    );
  });
});
