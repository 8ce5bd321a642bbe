import { describe, expect, it } from 'vitest';
import { createHistoryCache } from './history-cache.ts';
import type { EmailHitHistory, StoredHit } from './tracking-hits.repository.ts';

const hit = (i: number, over: Partial<StoredHit> = {}): StoredHit =>
  ({ kind: 'open', emailId: 'e', ua: '', ip: '', method: 'GET', at: new Date(i * 1000), counted: false, eventId: i, hitId: `h${i}`, ...over });
const history = (hits: StoredHit[]): EmailHitHistory => ({ projectId: 'p', hits, sendRecorded: true });

describe('history cache', () => {
  it('trimming keeps the newest hits and the first counted open, so a later click does not back-fill a second open', () => {
    const cache = createHistoryCache({ maxHits: 3 });
    const h = history([hit(0), hit(1, { counted: true }), hit(2), hit(3), hit(4), hit(5)]);
    cache.trim(h);
    expect(h.hits.map((x) => x.hitId)).toEqual(['h1', 'h3', 'h4', 'h5']);
  });

  it('forgets the least recently used email beyond its size, and entries past their time to live', async () => {
    const cache = createHistoryCache({ maxEmails: 2, ttlMs: 50 });
    cache.set('a', history([]));
    cache.set('b', history([]));
    cache.get('a');
    cache.set('c', history([]));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    await new Promise((r) => setTimeout(r, 80));
    expect(cache.get('a')).toBeUndefined();
  });
});
