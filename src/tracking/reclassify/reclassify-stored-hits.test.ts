// `tracking reclassify` on stored events, on PGlite and PostgreSQL: changed verdicts and back-filled
// opens are appended (reclassified events, new back-fills), never rewritten, and a run that finds
// nothing to change appends nothing.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { appendEvents, listEmailEvents, reclassifiedEvent, verdictsInForce, type EventType } from '../../events/index.ts';
import { createClassifier, loadSignatures } from '../classify/index.ts';
import type { ClassifyHit } from '../hit.ts';
import { loadHitEvents } from './tracked-hits.repository.ts';
import { BACKFILL_WITHDRAWN, reclassifyStoredHits } from './reclassify-stored-hits.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const T = Date.parse('2025-05-01T08:00:00Z');
const PROJECT = randomUUID();
const URL_A = 'https://shop.example/a';

async function addEvent(store: TestStore, emailId: string, type: EventType, seconds: number, metadata: Record<string, unknown> = {}): Promise<number> {
  await appendEvents(store.db, [{ projectId: PROJECT, emailId, type, metadata, at: new Date(T + seconds * 1000) }]);
  const events = await listEmailEvents(store.db, emailId);
  return Number(events[events.length - 1]!.id);
}

/** The email's opens and clicks as a reader of the log sees them: each with the verdict in force. */
async function hitsOf(store: TestStore, emailId: string) {
  const events = (await listEmailEvents(store.db, emailId)).map((e) => ({ ...e, id: Number(e.id), metadata: e.metadata as Record<string, unknown> }));
  const verdicts = verdictsInForce(events);
  return events
    .filter((e) => e.event_type === 'open' || e.event_type === 'click')
    .map((e) => {
      const { counted: _c, why: _w, ...rest } = e.metadata;
      const v = verdicts.get(e.id)!;
      return { type: e.event_type, at: (new Date(e.created_at).getTime() - T) / 1000, ...rest, counted: v.counted, ...(v.why ? { why: v.why } : {}) };
    });
}

const reclassifiedOf = async (store: TestStore, emailId: string) =>
  (await listEmailEvents(store.db, emailId)).filter((e) => e.event_type === 'reclassified').map((e) => e.metadata);

const eventCount = async (store: TestStore) =>
  Number((await store.db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

describe.each(STORE_KINDS)('reclassifying stored hits on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  let withGateway: ClassifyHit;
  const builtIn = createClassifier();
  beforeAll(async () => {
    store = await createTestStore(kind);
    dir = await mkdtemp(join(tmpdir(), 'sigs-'));
    await writeFile(join(dir, 'networks.tsv'), 'gateway\t198.51.100.0/24\tall\ttest gateway\n');
    withGateway = createClassifier({ signatures: loadSignatures(dir) });
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('appends superseding verdicts, withdraws and adds back-filled opens, and a second run appends nothing', async () => {
    const late = randomUUID(); // delivered an hour after sending; the click came 2 s after delivery
    await addEvent(store, late, 'sent', 0);
    await addEvent(store, late, 'delivered', 3600);
    const lateClick = await addEvent(store, late, 'click', 3602, { ua: CHROME, ip: '203.0.113.7', method: 'GET', url: URL_A, link_index: 0, counted: true });
    const lateBackfill = await addEvent(store, late, 'open', 3602, { ua: CHROME, ip: '203.0.113.7', method: 'GET', counted: true, backfilled: true });

    const gateway = randomUUID(); // a scan from a network the new list names, then the person's click
    await addEvent(store, gateway, 'sent', 0);
    const scan = await addEvent(store, gateway, 'click', 300, { ua: CHROME, ip: '198.51.100.20', method: 'GET', url: URL_A, link_index: 0, counted: true });
    const scanBackfill = await addEvent(store, gateway, 'open', 300, { ua: CHROME, ip: '198.51.100.20', method: 'GET', counted: true, backfilled: true });
    await addEvent(store, gateway, 'click', 900, { ua: CHROME, ip: '203.0.113.9', method: 'GET', url: URL_A, link_index: 0, counted: true });

    const person = randomUUID();
    await addEvent(store, person, 'sent', 0);
    await addEvent(store, person, 'open', 700, { ua: CHROME, ip: '203.0.113.8', method: 'GET', counted: true });
    await addEvent(store, person, 'open', 730, { ua: CHROME, ip: '203.0.113.8', method: 'GET', counted: false, why: 'coalesced' });

    const before = await eventCount(store);
    const result = await reclassifyStoredHits(store.db, withGateway, { emailsPerBatch: 2 });

    // The gateway's back-fill moves to the person's click: one withdrawn, one added.
    expect(result).toEqual({ emails: 3, hits: 5, changed: 2, backfillsAdded: 1, backfillsRemoved: 2 });
    expect(await eventCount(store)).toBe(before + 5);
    expect(await reclassifiedOf(store, late)).toEqual([
      { supersedes: lateClick, kind: 'click', counted: false, why: 'prefetch_window' },
      { supersedes: lateBackfill, kind: 'open', counted: false, why: 'prefetch_window' },
    ]);
    expect(await hitsOf(store, late)).toEqual([
      { type: 'click', at: 3602, ua: CHROME, ip: '203.0.113.7', method: 'GET', url: URL_A, link_index: 0, counted: false, why: 'prefetch_window' },
      { type: 'open', at: 3602, ua: CHROME, ip: '203.0.113.7', method: 'GET', backfilled: true, counted: false, why: 'prefetch_window' },
    ]);
    expect(await reclassifiedOf(store, gateway)).toEqual([
      { supersedes: scan, kind: 'click', counted: false, why: 'network' },
      { supersedes: scanBackfill, kind: 'open', counted: false, why: 'network' },
    ]);
    expect(await hitsOf(store, gateway)).toEqual([
      { type: 'click', at: 300, ua: CHROME, ip: '198.51.100.20', method: 'GET', url: URL_A, link_index: 0, counted: false, why: 'network' },
      { type: 'open', at: 300, ua: CHROME, ip: '198.51.100.20', method: 'GET', backfilled: true, counted: false, why: 'network' },
      { type: 'click', at: 900, ua: CHROME, ip: '203.0.113.9', method: 'GET', url: URL_A, link_index: 0, counted: true },
      { type: 'open', at: 900, ua: CHROME, ip: '203.0.113.9', method: 'GET', backfilled: true, counted: true },
    ]);
    expect(await reclassifiedOf(store, person)).toEqual([]);

    // The loader gives the classifier the verdicts in force, without the reclassified events.
    const loaded = await loadHitEvents(store.db, [gateway]);
    expect(loaded.map((e) => [e.event_type, e.metadata.counted, e.metadata.why])).toEqual([
      ['sent', undefined, undefined],
      ['click', false, 'network'], ['open', false, 'network'], ['click', true, undefined], ['open', true, undefined],
    ]);

    // A second run with the same signatures finds nothing to change and appends nothing.
    const count = await eventCount(store);
    expect(await reclassifyStoredHits(store.db, withGateway, { emailsPerBatch: 2 })).toEqual({ emails: 3, hits: 5, changed: 0, backfillsAdded: 0, backfillsRemoved: 0 });
    expect(await eventCount(store)).toBe(count);

    // Back to the built-in lists: the scan's click counts again and takes its back-fill back; the
    // one added for the person's click is withdrawn, its click still counting.
    const back = await reclassifyStoredHits(store.db, builtIn, { emailsPerBatch: 2 });
    expect(back).toMatchObject({ changed: 2, backfillsAdded: 0, backfillsRemoved: 1 });
    expect((await hitsOf(store, gateway)).map((h) => [h.type, h.at, h.counted, h.why])).toEqual([
      ['click', 300, true, undefined], ['open', 300, true, undefined], ['click', 900, true, undefined], ['open', 900, false, BACKFILL_WITHDRAWN],
    ]);
    const settled = await eventCount(store);
    expect(await reclassifyStoredHits(store.db, builtIn, { emailsPerBatch: 2 })).toMatchObject({ changed: 0, backfillsAdded: 0, backfillsRemoved: 0 });
    expect(await eventCount(store)).toBe(settled);
  });

  it('starts from the verdicts in force: a revision the recorder appended is not appended again', async () => {
    const email = randomUUID();
    await addEvent(store, email, 'sent', 0);
    const opens = [];
    // Three addresses within 30 s: the third makes a burst, which the recorder stored as a revision
    // of the first (the second was coalesced into it).
    const stored = [{ counted: true }, { counted: false, why: 'coalesced' }, { counted: false, why: 'burst' }];
    for (const [i, ip] of ['203.0.113.1', '203.0.113.2', '203.0.113.3'].entries()) {
      opens.push(await addEvent(store, email, 'open', 600 + i, { ua: CHROME, ip, method: 'GET', ...stored[i] }));
    }
    await appendEvents(store.db, [reclassifiedEvent({ eventId: opens[0]!, projectId: PROJECT, emailId: email, kind: 'open' }, { counted: false, why: 'burst' })]);
    const before = await eventCount(store);
    const r = await reclassifyStoredHits(store.db, builtIn);
    expect(r.emails).toBeGreaterThanOrEqual(1);
    expect(await reclassifiedOf(store, email)).toHaveLength(1);
    expect((await hitsOf(store, email)).map((h) => [h.counted, h.why])).toEqual([[false, 'burst'], [false, 'coalesced'], [false, 'burst']]);
    expect(await eventCount(store)).toBe(before);
  });
  it('brings verdicts stored under older rules in line with gateway taint and replaced back-fills, by appending', async () => {
    // Stored before the taint rule: a gateway's pass at delivery caught by the window, its second
    // pass from the same address and UA 20 s later counted (with the open back-filled from it).
    const scanned = randomUUID();
    const gw = { ua: CHROME, ip: '198.18.7.7', method: 'GET' };
    await addEvent(store, scanned, 'sent', 0);
    await addEvent(store, scanned, 'click', 1, { ...gw, url: URL_A, link_index: 0, counted: false, why: 'prefetch_window' });
    const rescan = await addEvent(store, scanned, 'click', 21, { ...gw, url: URL_A, link_index: 0, counted: true });
    const rescanBackfill = await addEvent(store, scanned, 'open', 21, { ...gw, counted: true, backfilled: true });
    // Stored before back-fills were replaced: a click with images blocked, the images loaded later.
    const blocked = randomUUID();
    const person = { ua: CHROME, ip: '203.0.113.44', method: 'GET' };
    await addEvent(store, blocked, 'sent', 0);
    await addEvent(store, blocked, 'click', 600, { ...person, url: URL_A, link_index: 0, counted: true });
    const backfill = await addEvent(store, blocked, 'open', 600, { ...person, counted: true, backfilled: true });
    await addEvent(store, blocked, 'open', 4000, { ...person, counted: true });

    const before = await eventCount(store);
    await reclassifyStoredHits(store.db, builtIn);
    expect(await reclassifiedOf(store, scanned)).toEqual([
      { supersedes: rescan, kind: 'click', counted: false, why: 'gateway_taint' },
      { supersedes: rescanBackfill, kind: 'open', counted: false, why: 'gateway_taint' },
    ]);
    expect(await reclassifiedOf(store, blocked)).toEqual([{ supersedes: backfill, kind: 'open', counted: false, why: 'backfill_replaced' }]);
    expect((await hitsOf(store, blocked)).filter((h) => h.type === 'open' && h.counted)).toHaveLength(1);
    expect(await eventCount(store)).toBe(before + 3);
    // A second run finds them in line and appends nothing.
    await reclassifyStoredHits(store.db, builtIn);
    expect(await eventCount(store)).toBe(before + 3);
  });
});
