import { afterEach, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { createProviderLookup, providerOfDomain, providerOfMx, type Provider } from './providers.ts';

describe('providerOfDomain', () => {
  it.each<[string, Provider | undefined]>([
    ['gmail.com', 'gmail'],
    ['googlemail.com', 'gmail'],
    ['GMail.Com.', 'gmail'],
    ['outlook.com', 'microsoft'],
    ['outlook.fr', 'microsoft'],
    ['hotmail.com', 'microsoft'],
    ['hotmail.co.uk', 'microsoft'],
    ['live.com', 'microsoft'],
    ['live.com.au', 'microsoft'],
    ['msn.com', 'microsoft'],
    ['yahoo.com', 'yahoo'],
    ['yahoo.co.uk', 'yahoo'],
    ['yahoo.fr', 'yahoo'],
    ['ymail.com', 'yahoo'],
    ['rocketmail.com', 'yahoo'],
    ['aol.com', 'yahoo'],
    ['aim.com', 'yahoo'],
    ['verizon.net', 'yahoo'],
    ['icloud.com', 'apple'],
    ['me.com', 'apple'],
    ['mac.com', 'apple'],
    // Not by name: a company's own domain, look-alikes, Yahoo! JAPAN (another company).
    ['example.com', undefined],
    ['gmail.co', undefined],
    ['mygmail.com', undefined],
    ['mail.gmail.com', undefined],
    ['live.net', undefined],
    ['yahoo.co.jp', undefined],
    ['', undefined],
  ])('%s -> %s', (domain, provider) => {
    expect(providerOfDomain(domain)).toBe(provider);
  });
});

describe('providerOfMx', () => {
  it.each<[string[], Provider | undefined]>([
    [['aspmx.l.google.com', 'alt1.aspmx.l.google.com', 'alt2.aspmx.l.google.com'], 'gmail'],
    [['smtp.google.com.'], 'gmail'],
    [['gmail-smtp-in.l.google.com'], 'gmail'],
    [['aspmx2.googlemail.com'], 'gmail'],
    [['example-com.mail.protection.outlook.com'], 'microsoft'],
    [['hotmail-com.olc.protection.outlook.com'], 'microsoft'],
    [['mta5.am0.yahoodns.net', 'mta6.am0.yahoodns.net'], 'yahoo'],
    [['mx01.mail.icloud.com', 'mx02.mail.icloud.com'], 'apple'],
    [['MX01.Mail.iCloud.com.'], 'apple'],
    // The most preferred host that names a provider decides.
    [['mx.example.net', 'example-com.mail.protection.outlook.com', 'aspmx.l.google.com'], 'microsoft'],
    // Look-alikes and gateways name none.
    [['google.com.evil.example'], undefined],
    [['notoutlook.com'], undefined],
    [['mx1.example.com'], undefined],
    [['mxa-001.pphosted.com'], undefined],
    [[], undefined],
  ])('%j -> %s', (hosts, provider) => {
    expect(providerOfMx(hosts)).toBe(provider);
  });
});

describe.each(STORE_KINDS)('createProviderLookup on %s', (kind) => {
  let store: TestStore;
  afterEach(async () => store?.close());

  // This machine has no DNS for real domains: these tests inject a fake resolver.
  const fakeDns = (answers: Record<string, string[] | Error>) => {
    const asked: string[] = [];
    const resolveMx = async (domain: string) => {
      asked.push(domain);
      const answer = answers[domain];
      if (answer === undefined) throw Object.assign(new Error(`queryMx ENOTFOUND ${domain}`), { code: 'ENOTFOUND' });
      if (answer instanceof Error) throw answer;
      return answer;
    };
    return { resolveMx, asked };
  };
  const stored = async () =>
    (await store.db.selectFrom('mailbox_providers').select(['domain', 'provider', 'mx']).orderBy('domain').execute());

  it('decides known names without DNS or the table, looks the rest up by MX once, and stores them', async () => {
    store = await createTestStore(kind);
    const dns = fakeDns({
      'acme.example': ['acme-example.mail.protection.outlook.com'],
      'school.example': ['aspmx.l.google.com', 'alt1.aspmx.l.google.com'],
      'self.example': ['mx1.self.example'],
    });
    const lookup = createProviderLookup({ db: store.db, resolveMx: dns.resolveMx });
    const providers = await lookup.providersOf(['gmail.com', 'Hotmail.co.uk', 'acme.example', 'School.Example', 'self.example', 'gone.example', '', 'not a domain']);
    expect(Object.fromEntries(providers)).toEqual({
      'gmail.com': 'gmail',
      'Hotmail.co.uk': 'microsoft',
      'acme.example': 'microsoft',
      'School.Example': 'gmail',
      'self.example': 'other',
      'gone.example': 'other',
      '': 'other',
      'not a domain': 'other',
    });
    expect(dns.asked.sort()).toEqual(['acme.example', 'gone.example', 'school.example', 'self.example']);
    expect(await stored()).toEqual([
      { domain: 'acme.example', provider: 'microsoft', mx: 'acme-example.mail.protection.outlook.com' },
      { domain: 'gone.example', provider: 'other', mx: null },
      { domain: 'school.example', provider: 'gmail', mx: 'aspmx.l.google.com,alt1.aspmx.l.google.com' },
      { domain: 'self.example', provider: 'other', mx: 'mx1.self.example' },
    ]);

    // Decided: answered from memory, no DNS and no new rows.
    const again = await lookup.providersOf(['acme.example', 'school.example']);
    expect(Object.fromEntries(again)).toEqual({ 'acme.example': 'microsoft', 'school.example': 'gmail' });
    expect(dns.asked).toHaveLength(4);
  });

  it('never changes a stored decision: another process, or a later MX, does not move a domain', async () => {
    store = await createTestStore(kind);
    // Decided earlier (by another process, or before the domain moved to Microsoft 365).
    await store.db.insertInto('mailbox_providers').values({ domain: 'moved.example', provider: 'gmail', mx: 'aspmx.l.google.com' }).execute();
    const dns = fakeDns({ 'moved.example': ['moved-example.mail.protection.outlook.com'] });
    const lookup = createProviderLookup({ db: store.db, resolveMx: dns.resolveMx });
    expect((await lookup.providersOf(['moved.example'])).get('moved.example')).toBe('gmail');
    expect(dns.asked).toEqual([]);

    // Two processes deciding the same new domain at once: the first row written stands for both.
    const first = createProviderLookup({ db: store.db, resolveMx: async () => ['aspmx.l.google.com'] });
    const second = createProviderLookup({ db: store.db, resolveMx: async () => ['race-example.mail.protection.outlook.com'] });
    const [a, b] = await Promise.all([first.providersOf(['race.example']), second.providersOf(['race.example'])]);
    expect(a.get('race.example')).toBe(b.get('race.example'));
    const rows = await store.db.selectFrom('mailbox_providers').selectAll().where('domain', '=', 'race.example').execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.provider).toBe(a.get('race.example'));
  });

  it('stores a failed or timed-out lookup as other with no MX, for good', async () => {
    store = await createTestStore(kind);
    const lookup = createProviderLookup({
      db: store.db,
      timeoutMs: 200,
      resolveMx: async (domain) => {
        if (domain === 'slow.example') return new Promise<string[]>(() => {}); // never answers
        if (domain === 'servfail.example') throw Object.assign(new Error('queryMx ESERVFAIL servfail.example'), { code: 'ESERVFAIL' });
        return [];
      },
    });
    const started = Date.now();
    const providers = await lookup.providersOf(['slow.example', 'servfail.example', 'nomx.example']);
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(Object.fromEntries(providers)).toEqual({ 'slow.example': 'other', 'servfail.example': 'other', 'nomx.example': 'other' });
    expect(await stored()).toEqual([
      { domain: 'nomx.example', provider: 'other', mx: null },
      { domain: 'servfail.example', provider: 'other', mx: null },
      { domain: 'slow.example', provider: 'other', mx: null },
    ]);
  });

  it('with MX lookups off, uses no DNS and stores the unknown domains as other', async () => {
    store = await createTestStore(kind);
    const dns = fakeDns({ 'acme.example': ['aspmx.l.google.com'] });
    const lookup = createProviderLookup({ db: store.db, resolveMx: dns.resolveMx, lookupMx: false });
    const providers = await lookup.providersOf(['acme.example', 'yahoo.com']);
    expect(Object.fromEntries(providers)).toEqual({ 'acme.example': 'other', 'yahoo.com': 'yahoo' });
    expect(dns.asked).toEqual([]);
    expect(await stored()).toEqual([{ domain: 'acme.example', provider: 'other', mx: null }]);
  });

  it('reads a stored domain from the table, and looks many up with bounded concurrency', async () => {
    store = await createTestStore(kind);
    await store.db.insertInto('mailbox_providers').values({ domain: 'known.example', provider: 'yahoo', mx: 'mta5.am0.yahoodns.net' }).execute();
    let inFlight = 0;
    let most = 0;
    const lookup = createProviderLookup({
      db: store.db,
      concurrency: 4,
      resolveMx: async (domain) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
        return [`${domain.replace(/\./g, '-')}.mail.protection.outlook.com`];
      },
    });
    // More than one chunk of the IN list and the INSERT.
    const domains = Array.from({ length: 1_200 }, (_, i) => `d${i}.example`);
    const providers = await lookup.providersOf(['known.example', ...domains, 'd1.example', 'D1.example']);
    expect(providers.get('known.example')).toBe('yahoo');
    expect(providers.size).toBe(1_202); // 'd1.example' once, 'D1.example' as given
    expect(providers.get('D1.example')).toBe('microsoft');
    expect([...providers.values()].filter((p) => p === 'microsoft')).toHaveLength(1_201);
    expect(most).toBe(4);
    const { count } = await store.db.selectFrom('mailbox_providers').select((eb) => eb.fn.countAll().as('count')).executeTakeFirstOrThrow();
    expect(Number(count)).toBe(1_201);
  });
});

describe('createProviderLookup with the system resolver', () => {
  let store: TestStore;
  afterEach(async () => store?.close());

  it('decides a domain that does not resolve as other within the timeout', async () => {
    store = await createTestStore('pglite');
    const lookup = createProviderLookup({ db: store.db, timeoutMs: 1_000 });
    const started = Date.now();
    const providers = await lookup.providersOf(['nowhere.invalid']);
    expect(providers.get('nowhere.invalid')).toBe('other');
    // The timeout, plus the database's share.
    expect(Date.now() - started).toBeLessThan(1_000 + 2_000);
  });
});
