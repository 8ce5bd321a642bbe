// `tracking reclassify` on stored events, on PGlite and PostgreSQL: verdicts and back-filled opens follow new signatures.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../../test/support/test-store.ts';
import { listEmailEvents } from '../../events/index.ts';
import { createClassifier, loadSignatures } from '../classify/index.ts';
import { reclassifyStoredHits } from './reclassify-stored-hits.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const T = Date.parse('2025-05-01T08:00:00Z');
const PROJECT = randomUUID();

async function addEvent(store: TestStore, emailId: string, type: string, seconds: number, metadata: Record<string, unknown> = {}) {
  await store.db.insertInto('events')
    .values({ project_id: PROJECT, email_id: emailId, event_type: type, metadata: JSON.stringify(metadata), created_at: new Date(T + seconds * 1000) })
    .execute();
}

const hitsOf = async (store: TestStore, emailId: string) =>
  (await listEmailEvents(store.db, emailId))
    .filter((e) => e.event_type === 'open' || e.event_type === 'click')
    .map((e): Record<string, unknown> => ({ type: e.event_type, at: (new Date(e.created_at).getTime() - T) / 1000, ...(e.metadata as Record<string, unknown>) }));

describe.each(STORE_KINDS)('reclassifying stored hits on %s', (kind) => {
  let store: TestStore;
  let dir: string;
  beforeAll(async () => {
    store = await createTestStore(kind);
    dir = await mkdtemp(join(tmpdir(), 'sigs-'));
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rewrites counted/why and re-derives back-filled opens after a signature update, leaving right verdicts alone', async () => {
    const late = randomUUID(); // delivered an hour after sending; the click came 2 s after delivery
    await addEvent(store, late, 'sent', 0);
    await addEvent(store, late, 'delivered', 3600);
    await addEvent(store, late, 'click', 3602, { ua: CHROME, ip: '203.0.113.7', method: 'GET', url: 'https://shop.example/a', link_index: 0, counted: true });
    await addEvent(store, late, 'open', 3602, { ua: CHROME, ip: '203.0.113.7', method: 'GET', counted: true, backfilled: true });

    const gateway = randomUUID(); // a scan from a network the new list names, then the person's click
    await addEvent(store, gateway, 'sent', 0);
    await addEvent(store, gateway, 'click', 300, { ua: CHROME, ip: '198.51.100.20', method: 'GET', url: 'https://shop.example/a', link_index: 0, counted: true });
    await addEvent(store, gateway, 'open', 300, { ua: CHROME, ip: '198.51.100.20', method: 'GET', counted: true, backfilled: true, hit_id: 'h1' });
    await addEvent(store, gateway, 'click', 900, { ua: CHROME, ip: '203.0.113.9', method: 'GET', url: 'https://shop.example/a', link_index: 0, counted: true });

    const person = randomUUID();
    await addEvent(store, person, 'sent', 0);
    await addEvent(store, person, 'open', 700, { ua: CHROME, ip: '203.0.113.8', method: 'GET', counted: true });
    await addEvent(store, person, 'open', 730, { ua: CHROME, ip: '203.0.113.8', method: 'GET', counted: false, why: 'coalesced' });

    await writeFile(join(dir, 'networks.tsv'), 'gateway\t198.51.100.0/24\tall\ttest gateway\n');
    const classify = createClassifier({ signatures: loadSignatures(dir) });
    const result = await reclassifyStoredHits(store.db, classify, { emailsPerBatch: 2 });

    expect(result).toEqual({ emails: 3, hits: 5, changed: 3, backfillsAdded: 0, backfillsRemoved: 1 });
    expect(await hitsOf(store, late)).toEqual([
      { type: 'click', at: 3602, ua: CHROME, ip: '203.0.113.7', method: 'GET', url: 'https://shop.example/a', link_index: 0, counted: false, why: 'prefetch_window' },
    ]);
    expect(await hitsOf(store, gateway)).toEqual([
      { type: 'click', at: 300, ua: CHROME, ip: '198.51.100.20', method: 'GET', url: 'https://shop.example/a', link_index: 0, counted: false, why: 'network' },
      { type: 'open', at: 900, ua: CHROME, ip: '203.0.113.9', method: 'GET', counted: true, backfilled: true, hit_id: 'h1' },
      { type: 'click', at: 900, ua: CHROME, ip: '203.0.113.9', method: 'GET', url: 'https://shop.example/a', link_index: 0, counted: true },
    ]);
    expect((await hitsOf(store, person)).map((h) => [h.counted, h.why])).toEqual([[true, undefined], [false, 'coalesced']]);

    // A second run finds nothing left to change.
    expect(await reclassifyStoredHits(store.db, classify, { emailsPerBatch: 2 })).toMatchObject({ changed: 0, backfillsAdded: 0, backfillsRemoved: 0 });
  });
});
