// Rollups folded from the log, on both stores: what a stat shows after a lifecycle, a
// reclassification, a crash in the middle of a batch; on PostgreSQL, transactions that commit out
// of id order and two schedulers at once. "Exactly once" is asserted as: the tables equal a fresh
// fold of the whole log (test/support/recount-rollups.ts).
import { afterEach, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import pg from 'pg';
import { randomUUID } from 'node:crypto';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { readRollups, recount } from '../../../test/support/recount-rollups.ts';
import { appendEvents, endOfLog, reclassifiedEvent, type NewEvent } from '../../events/index.ts';
import type { Database } from '../../store/database.ts';
import type { Kysely } from 'kysely';
import { catchUpRollups, createEmailLogCache, rollUpBatch, STATS_CURSOR, STATS_HOURLY_COUNTERS, type RollupDeps } from './index.ts';
import { readCursor } from '../../store/log-cursors.repository.ts';
import { createProviderLookup } from '../providers.ts';
import { clientOf } from '../clients.ts';

const PROJECT = '00000000-0000-7000-8000-0000000000a1';
const CAMPAIGN = '00000000-0000-7000-8000-0000000000c1';
const T0 = new Date('2026-03-02T10:15:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

let store: TestStore | undefined;
afterEach(async () => {
  await store?.close();
  store = undefined;
});

const deps = (db: Kysely<Database>, extra: Partial<RollupDeps> = {}): RollupDeps => ({
  db,
  providers: { providersOf: async (domains) => new Map(domains.map((d) => [d, d === 'gmail.com' ? 'gmail' : 'other'])) },
  clientOf: (ua) => ({ client: ua === '' ? 'Other' : ua, os: 'unknown', device: 'unknown' }),
  ...extra,
});

async function addEmail(db: Kysely<Database>, to: string, options: { campaign?: boolean; tags?: string[] } = {}): Promise<string> {
  const id = randomUUID();
  await db.insertInto('emails').values({
    id, project_id: PROJECT, campaign_id: options.campaign ? CAMPAIGN : null, from_address: 'Shop <news@Shop.example>', to_address: to,
    tags: options.tags ? JSON.stringify(options.tags) : null, status: 'queued', priority: 1, message_id: `<${id}@shop.example>`,
  }).execute();
  return id;
}

const event = (emailId: string, type: NewEvent['type'], minutes: number, metadata: Record<string, unknown> = {}): NewEvent =>
  ({ projectId: PROJECT, emailId, type, metadata, at: at(minutes) });

/** The row of every email (tag '') of the campaign, sent from shop.example to `provider`, at hour `h` after T0's. */
async function hourRow(db: Kysely<Database>, provider: string, h: number, tag = '') {
  const hour = new Date(Math.floor(T0.getTime() / 3_600_000) * 3_600_000 + h * 3_600_000);
  const row = await db.selectFrom('stats_hourly').selectAll()
    .where('campaign_id', '=', CAMPAIGN).where('tag', '=', tag).where('provider', '=', provider).where('hour', '=', hour)
    .executeTakeFirst();
  return row && Object.fromEntries(Object.entries(row).map(([k, v]) => [k, (STATS_HOURLY_COUNTERS as readonly string[]).includes(k) ? Number(v) : v]));
}

describe.each(STORE_KINDS)('rollups on %s', (kind) => {
  it('count a campaign by hour, provider, sending domain and tag, people once', async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@gmail.com', { campaign: true, tags: ['spring', 'promo'] });
    const b = await addEmail(db, 'bob@corp.example', { campaign: true, tags: ['spring'] });
    await appendEvents(db, [
      event(a, 'queued', 0), event(b, 'queued', 0),
      event(a, 'sent', 1), event(a, 'delivered', 1),
      event(b, 'bounced', 2, { bounce_type: 'hard' }),
      event(a, 'open', 3, { counted: false, why: 'apple_mpp', ua: 'Mozilla/5.0' }),
      event(a, 'open', 70, { counted: true, ua: 'Thunderbird' }),
      event(a, 'open', 75, { counted: true, ua: 'Thunderbird' }),
      event(a, 'click', 76, { counted: true, ua: 'Firefox', link_index: 1, url: 'https://shop.example/sale' }),
    ]);
    await catchUpRollups(deps(db));

    expect(await hourRow(db, 'gmail', 0)).toMatchObject({ sending_domain: 'shop.example', accepted: 1, sent: 1, delivered: 1, machine_opens: 1, opens: 0, openers: 0 });
    expect(await hourRow(db, 'gmail', 1)).toMatchObject({ opens: 2, openers: 1, clicks: 1, clickers: 1 });
    expect(await hourRow(db, 'other', 0)).toMatchObject({ accepted: 1, sent: 1, hard_bounced: 1, delivered: 0 });
    expect(await hourRow(db, 'gmail', 1, 'promo')).toMatchObject({ opens: 2, openers: 1 });
    expect(await hourRow(db, 'other', 0, 'promo')).toBeUndefined();
    expect((await db.selectFrom('stats_links').select(['link_index', 'url', 'clicks', 'clickers']).execute()).map((r) => ({ ...r, clicks: Number(r.clicks), clickers: Number(r.clickers) })))
      .toEqual([{ link_index: 1, url: 'https://shop.example/sale', clicks: 1, clickers: 1 }]);
    expect((await db.selectFrom('stats_machine_hourly').select(['tag', 'kind', 'why', 'n']).where('tag', '=', '').execute()).map((r) => ({ ...r, n: Number(r.n) })))
      .toEqual([{ tag: '', kind: 'open', why: 'apple_mpp', n: 1 }]);
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
  });

  it('show a reclassification: the hit leaves the counted column, the person moves to their next counted open', async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@gmail.com', { campaign: true });
    await appendEvents(db, [event(a, 'sent', 0), event(a, 'open', 5, { counted: true, ua: 'X' }), event(a, 'open', 130, { counted: true, ua: 'X' })]);
    await catchUpRollups(deps(db));
    expect(await hourRow(db, 'gmail', 0)).toMatchObject({ opens: 1, openers: 1 });

    const first = await db.selectFrom('events').select('id').where('email_id', '=', a).where('event_type', '=', 'open').orderBy('id').executeTakeFirstOrThrow();
    await appendEvents(db, [reclassifiedEvent({ eventId: Number(first.id), projectId: PROJECT, emailId: a, kind: 'open' }, { counted: false, why: 'scanner' })]);
    await catchUpRollups(deps(db));
    expect(await hourRow(db, 'gmail', 0)).toMatchObject({ opens: 0, openers: 0, machine_opens: 1 });
    expect(await hourRow(db, 'gmail', 2)).toMatchObject({ opens: 1, openers: 1 });
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
  });

  it('fold a batch that crashed before its end again, in full and once', async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@gmail.com', { campaign: true });
    await appendEvents(db, [event(a, 'queued', 0), event(a, 'sent', 1), event(a, 'open', 2, { counted: true, ua: 'X' })]);
    // On a shared PostgreSQL server another database's open transaction can hold the log's readers back.
    const written = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirstOrThrow();
    while ((await endOfLog(db)).id < Number(written.id)) await new Promise((r) => setTimeout(r, 20));
    const crash = deps(db, { beforeCursorMoves: () => { throw new Error('killed'); } });
    await expect(rollUpBatch(crash)).rejects.toThrow('killed');
    expect(await readRollups(db)).toEqual({ hourly: {}, machine: {}, projectHourly: {}, projectMachine: {}, clients: {}, links: {} });
    expect(await readCursor(db, STATS_CURSOR)).toMatchObject({ id: 0 });

    await catchUpRollups(deps(db));
    expect(await hourRow(db, 'gmail', 0)).toMatchObject({ accepted: 1, sent: 1, opens: 1, openers: 1 });
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
  });

  it("look up a new recipient domain's provider by MX outside the batch's transaction, once", async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@corp.example', { campaign: true });
    const b = await addEmail(db, 'bob@corp.example', { campaign: true });
    await appendEvents(db, [event(a, 'sent', 0), event(b, 'sent', 1)]);
    const asked: string[] = [];
    // A fake resolver (no DNS for real domains here) that answers as Google Workspace, slowly; on
    // PGlite a lookup inside the transaction would wait forever for the connection it holds.
    const resolveMx = async (domain: string) => {
      asked.push(domain);
      await new Promise((r) => setTimeout(r, 50));
      return ['aspmx.l.google.com'];
    };
    await catchUpRollups({ db, providers: createProviderLookup({ db, resolveMx }), clientOf });
    expect(asked).toEqual(['corp.example']);
    expect(await hourRow(db, 'gmail', 0)).toMatchObject({ sent: 2 });
    expect(await db.selectFrom('mailbox_providers').select(['domain', 'provider', 'mx']).execute()).toEqual([{ domain: 'corp.example', provider: 'gmail', mx: 'aspmx.l.google.com' }]);
  });

  it("do not use a scheduler's cached logs once another scheduler has moved the cursor", async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@gmail.com', { campaign: true });
    const cache = createEmailLogCache();
    const open = (minutes: number) => event(a, 'open', minutes, { counted: true, ua: 'X' });
    // This scheduler folds an open in hour 2 and keeps the email's log; another folds an earlier one
    // (hour 1), which becomes the opener's first; this one then folds a third between the two,
    // which moves nothing: a stale log (without the other's open) would move the opener to it.
    await appendEvents(db, [event(a, 'sent', 0), open(120)]);
    await catchUpRollups(deps(db, { cache }));
    await appendEvents(db, [open(60)]);
    await catchUpRollups(deps(db));
    await appendEvents(db, [open(90)]);
    await catchUpRollups(deps(db, { cache }));
    expect(await hourRow(db, 'gmail', 1)).toMatchObject({ opens: 2, openers: 1 });
    expect(await hourRow(db, 'gmail', 2)).toMatchObject({ opens: 1, openers: 0 });
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
  });

  it("do not keep a scheduler's cached logs across a batch that found nothing after another scheduler moved the cursor", async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@gmail.com', { campaign: true });
    const cache = createEmailLogCache();
    // This scheduler folds the queued event and keeps the log; another folds the first sent; this
    // one then finds nothing new (and must not carry its stale log past that), and folds a second
    // sent, which counts nowhere: an email is sent once.
    await appendEvents(db, [event(a, 'queued', 0)]);
    await catchUpRollups(deps(db, { cache }));
    await appendEvents(db, [event(a, 'sent', 1)]);
    await catchUpRollups(deps(db));
    await catchUpRollups(deps(db, { cache }));
    await appendEvents(db, [event(a, 'sent', 2)]);
    await catchUpRollups(deps(db, { cache }));
    expect(await hourRow(db, 'gmail', 0)).toMatchObject({ sent: 1 });
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
  });

  it('fold events that arrive over many small batches as one fold of the whole log would', async () => {
    store = await createTestStore(kind);
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await addEmail(db, `r${i}@${i % 2 ? 'gmail.com' : 'corp.example'}`, { campaign: i < 4, tags: i % 3 ? ['t'] : [] }));
    for (let round = 0; round < 4; round++) {
      await appendEvents(db, ids.flatMap((id, i) => [
        event(id, round === 0 ? 'queued' : 'open', round * 40 + i, { counted: (round + i) % 3 !== 0, why: 'scanner', ua: `ua${i % 2}` }),
        event(id, 'click', round * 40 + i + 1, { counted: (round * i) % 2 === 0, why: 'burst', link_index: i % 2, url: `https://x.example/${i % 2}` }),
      ]));
      await catchUpRollups(deps(db, { batchSize: 5 }));
    }
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
  });
});

describe('rollups on postgres, with concurrent writers and schedulers', () => {
  it('count each event once when a slow transaction commits after later ones', async () => {
    store = await createTestStore('postgres');
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const a = await addEmail(db, 'ann@gmail.com', { campaign: true });
    const b = await addEmail(db, 'bob@gmail.com', { campaign: true });

    const slow = new pg.Client({ connectionString: store.url });
    await slow.connect();
    try {
      // The slow writer takes the lower id, then holds its transaction open.
      await slow.query('BEGIN');
      await slow.query(`INSERT INTO events (project_id, email_id, event_type, metadata, created_at) VALUES ($1, $2, 'open', '{"counted": true, "ua": "slow"}', $3)`, [PROJECT, a, at(5)]);
      await appendEvents(db, [event(b, 'open', 6, { counted: true, ua: 'fast' }), event(a, 'sent', 1)]);
      // Folds what it may: nothing written after the slow transaction began is visible to every reader yet.
      await rollUpBatch(deps(db));
      const early = await hourRow(db, 'gmail', 0);
      expect(Number(early?.opens ?? 0)).toBe(0);

      await slow.query('COMMIT');
      await catchUpRollups(deps(db));
      expect(await hourRow(db, 'gmail', 0)).toMatchObject({ opens: 2, openers: 2, sent: 1 });
      expect(await readRollups(db)).toEqual(await recount(deps(db)));
    } finally {
      await slow.end();
    }
  });

  it('count each event once when two schedulers fold at the same time', async () => {
    store = await createTestStore('postgres');
    const db = store.db;
    await db.insertInto('projects').values({ id: PROJECT, name: 'p' }).execute();
    const ids = [];
    for (let i = 0; i < 40; i++) ids.push(await addEmail(db, `r${i}@gmail.com`, { campaign: true, tags: ['t'] }));
    await appendEvents(db, ids.flatMap((id, i) => [event(id, 'sent', i), event(id, 'open', i + 1, { counted: i % 2 === 0, why: 'scanner', ua: 'u' })]));
    const scheduler = async () => {
      let folded = 0;
      for (;;) {
        const { events } = await rollUpBatch(deps(db, { batchSize: 7 }));
        if (events === 0) return folded;
        folded += events;
      }
    };
    const [x, y] = await Promise.all([scheduler(), scheduler()]);
    // Each folded its share (an open transaction elsewhere on the server may hold some back: the catch-up takes the rest).
    expect(x + y).toBeLessThanOrEqual(80);
    await catchUpRollups(deps(db));
    expect(await readRollups(db)).toEqual(await recount(deps(db)));
    const totals = await sql<{ sent: number; opens: number }>`SELECT sum(sent)::int AS sent, sum(opens)::int AS opens FROM stats_hourly WHERE tag = ''`.execute(db);
    expect(totals.rows[0]).toEqual({ sent: 40, opens: 20 });
  });
});
