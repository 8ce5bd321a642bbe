// The recorder's revisions of earlier hits (a burst, a honeypot, a replaced back-filled open) on PGlite and PostgreSQL: appended
// as reclassified events, never rewritten, and seen by every later history read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { clickHit, createEmails, openHit } from '../../test/support/tracking-fixtures.ts';
import { appendEvents, reclassifiedEvent, type NewEvent } from '../events/index.ts';
import type { Database } from '../store/database.ts';
import { classifyHit } from './classify/index.ts';
import { commitHits } from './commit-hits.ts';
import { createHistoryCache, type HistoryCache } from './history-cache.ts';
import type { ClassifyHit } from './hit.ts';
import { HISTORY_LIMIT, loadHistories } from './tracking-hits.repository.ts';

const T = Date.parse('2025-05-01T08:00:00Z');
const at = (seconds: number) => new Date(T + seconds * 1000);

const eventsOf = (db: Kysely<Database>, emailId: string) =>
  db.selectFrom('events').select(['id', 'event_type', 'metadata', 'hit_id']).where('email_id', '=', emailId).orderBy('id').execute();

const reclassifiedOf = async (db: Kysely<Database>, emailId: string) =>
  (await eventsOf(db, emailId)).filter((e) => e.event_type === 'reclassified').map((e) => e.metadata);

/** Each hit's verdict in a freshly read history. */
const historyVerdicts = async (db: Kysely<Database>, emailId: string) =>
  (await loadHistories(db, [emailId])).get(emailId)!.hits.map((h) => [h.kind, h.counted, h.why]);

describe.each(STORE_KINDS)('recorder revisions on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());

  // Three links of one email clicked within 10 s: the third makes a burst, which folds back the
  // first two clicks and the open back-filled from the first.
  const burst = async (cache: HistoryCache | undefined) => {
    const { emailIds: [email] } = await createEmails(store.db, 1);
    const commit = (hit: ReturnType<typeof clickHit>) => commitHits(store.db, classifyHit, [hit], cache);
    const link = (i: number, s: number) => clickHit(email!, `https://shop.example/${i}`, { linkIndex: i, at: at(s) });
    await commit(link(0, 0));
    await commit(link(1, 2));
    await commit(link(2, 4));
    return email!;
  };

  for (const [name, cache] of [['read from the database', () => undefined], ['kept in the history cache', () => createHistoryCache({ ttlMs: 60_000 })]] as const) {
    it(`a burst over hits ${name} appends a reclassified event per revised hit, which later history reads apply`, async () => {
      const c = cache();
      const email = await burst(c);
      const events = await eventsOf(store.db, email);
      const hits = events.filter((e) => e.hit_id !== null);
      // The stored hits keep the verdicts they were stored with.
      expect(hits.map((e) => [e.event_type, e.metadata.counted, e.metadata.why])).toEqual([
        ['click', true, undefined], ['open', true, undefined], ['click', true, undefined], ['click', false, 'burst'],
      ]);
      expect(await reclassifiedOf(store.db, email)).toEqual(
        hits.slice(0, 3).map((e) => ({ supersedes: e.id, kind: e.event_type, counted: false, why: 'burst' })),
      );
      expect(await historyVerdicts(store.db, email)).toEqual([
        ['click', false, 'burst'], ['open', false, 'burst'], ['click', false, 'burst'], ['click', false, 'burst'],
      ]);
      if (c) {
        // The cached history holds the revised verdicts, and has learnt the revised hits' event ids.
        const cached = c.get(email)!;
        expect(cached.hits.map((h) => [h.counted, h.why])).toEqual([[false, 'burst'], [false, 'burst'], [false, 'burst'], [false, 'burst']]);
        expect(cached.hits.slice(0, 3).map((h) => h.eventId)).toEqual(hits.slice(0, 3).map((e) => e.id));
      }

      // A fourth link in the burst revises nothing new: verdicts in force are not appended again.
      await commitHits(store.db, classifyHit, [clickHit(email, 'https://shop.example/3', { linkIndex: 3, at: at(5) })], c);
      expect(await reclassifiedOf(store.db, email)).toHaveLength(3);
    });
  }

  it('a person who loads the images after clicking: their real open is stored counted and the back-filled open superseded (backfill_replaced)', async () => {
    const { emailIds: [email] } = await createEmails(store.db, 1);
    const cache = createHistoryCache({ ttlMs: 60_000 });
    await commitHits(store.db, classifyHit, [clickHit(email!, 'https://shop.example/a', { at: at(0) })], cache);
    await commitHits(store.db, classifyHit, [openHit(email!, { at: at(3600) })]);
    const hits = (await eventsOf(store.db, email!)).filter((e) => e.hit_id !== null);
    expect(hits.map((e) => [e.event_type, e.metadata.counted, e.metadata.backfilled])).toEqual([['click', true, undefined], ['open', true, true], ['open', true, undefined]]);
    expect(await reclassifiedOf(store.db, email!)).toEqual([{ supersedes: hits[1]!.id, kind: 'open', counted: false, why: 'backfill_replaced' }]);
    expect(await historyVerdicts(store.db, email!)).toEqual([['click', true, undefined], ['open', false, 'backfill_replaced'], ['open', true, undefined]]);
  });

  it('a link checker\'s address and UA, caught by a HEAD request, are stored as gateway_taint on their later GET', async () => {
    const { emailIds: [email] } = await createEmails(store.db, 1);
    const gw = { ip: '198.51.100.30', ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.132 Safari/537.36' };
    await commitHits(store.db, classifyHit, [clickHit(email!, 'https://shop.example/a', { ...gw, method: 'HEAD', at: at(10) })]);
    await commitHits(store.db, classifyHit, [clickHit(email!, 'https://shop.example/a', { ...gw, at: at(40) })]);
    expect(await historyVerdicts(store.db, email!)).toEqual([['click', false, 'head_request'], ['click', false, 'gateway_taint']]);
  });

  it('a revision to the verdict already in force, or revised back within the batch, appends nothing', async () => {
    const { emailIds: [email] } = await createEmails(store.db, 1);
    // Counts each hit and revises every earlier one to 'burst' (a stand-in for a classifier that repeats itself).
    const revisesAll: ClassifyHit = (_hit, history) => ({
      verdict: { counted: true },
      revised: history.hits.map((_h, index) => ({ index, verdict: { counted: false, why: 'burst' } })),
    });
    const cache = createHistoryCache({ ttlMs: 60_000 });
    await commitHits(store.db, revisesAll, [openHit(email!, { at: at(0) })], cache);
    await commitHits(store.db, revisesAll, [openHit(email!, { at: at(100) })], cache);
    await commitHits(store.db, revisesAll, [openHit(email!, { at: at(200) }), openHit(email!, { at: at(300) })], cache);
    const hits = (await eventsOf(store.db, email!)).filter((e) => e.hit_id !== null);
    // The first open once, the second once; the third was revised within its own batch, before it was stored.
    expect(await reclassifiedOf(store.db, email!)).toEqual([
      { supersedes: hits[0]!.id, kind: 'open', counted: false, why: 'burst' },
      { supersedes: hits[1]!.id, kind: 'open', counted: false, why: 'burst' },
    ]);
    expect(hits.map((e) => e.metadata.counted)).toEqual([true, true, false, true]);

    // Revised and revised back in one batch: the verdict in force did not change.
    const flipFlop: ClassifyHit = (hit, history) => ({
      verdict: { counted: true },
      revised: history.hits.length > 0 ? [{ index: 0, verdict: hit.ip === '198.51.100.1' ? { counted: false, why: 'honeypot' } : { counted: false, why: 'burst' } }] : [],
    });
    await commitHits(store.db, flipFlop, [openHit(email!, { at: at(400), ip: '198.51.100.1' }), openHit(email!, { at: at(401) })], cache);
    expect(await reclassifiedOf(store.db, email!)).toHaveLength(2);
  });

  it('reclassified events do not push hits out of the history window; the last one per hit wins', async () => {
    const { projectId, emailIds: [email] } = await createEmails(store.db, 1);
    const opens: NewEvent[] = Array.from({ length: HISTORY_LIMIT + 5 }, (_, i) => ({
      projectId, emailId: email!, type: 'open', hitId: `window-${email}-${i}`, at: at(i * 100), metadata: { ua: 'x', ip: '203.0.113.7', method: 'GET', counted: true },
    }));
    await appendEvents(store.db, opens);
    const ids = (await eventsOf(store.db, email!)).filter((e) => e.hit_id !== null).map((e) => e.id);
    const revise = (i: number, why: string) => reclassifiedEvent({ eventId: ids[i]!, projectId, emailId: email!, kind: 'open' }, { counted: false, why });
    // Many revisions of the newest hit, one of a hit inside the window, one of a hit outside it.
    await appendEvents(store.db, Array.from({ length: 2 * HISTORY_LIMIT }, (_, n) => revise(ids.length - 1, n % 2 ? 'burst' : 'scanner')));
    await appendEvents(store.db, [revise(10, 'honeypot'), revise(0, 'network')]);
    const history = (await loadHistories(store.db, [email!])).get(email!)!;
    expect(history.hits).toHaveLength(HISTORY_LIMIT);
    expect(history.hits.map((h) => h.eventId)).toEqual(ids.slice(-HISTORY_LIMIT));
    const whys = history.hits.map((h) => h.why);
    expect(whys.at(-1)).toBe('burst');
    expect(whys[10 - 5]).toBe('honeypot');
    expect(whys.filter((w) => w !== undefined)).toHaveLength(2);
  });
});
