// Replaying recorded hits: per-message counts, final verdicts after revisions, hostile ids kept as plain keys.
import { describe, expect, it } from 'vitest';
import { classifyHit } from '../classify/index.ts';
import { replayHits } from './replay-hits.ts';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const line = (o: Record<string, unknown>) => JSON.stringify({ ua: CHROME, ip: '198.51.100.20', method: 'GET', ...o });

describe('replayHits', () => {
  it('reports the final verdict of a click a later burst folded back, and no back-filled open for it', async () => {
    const lines = [0, 1, 2].map((i) => line({ kind: 'click', message: 'm', url: `https://shop.example/${i}`, seconds_after_send: 40 + i }));
    const { output } = await replayHits(lines, classifyHit);
    expect(output.hits).toEqual([1, 2, 3].map((l) => ({ line: l, counted: false, why: 'burst' })));
    expect(output.messages.m).toMatchObject({ unique_opens: 0, total_opens: 0, open_backfilled: 0 });
    expect(output.messages.m!.clicks['https://shop.example/0']).toEqual({ unique: 0, total: 0 });
  });

  it('orders each message by time whatever the order of the lines', async () => {
    const lines = [line({ kind: 'open', message: 'm', seconds_after_send: 130 }), line({ kind: 'open', message: 'm', seconds_after_send: 100 })];
    const { output } = await replayHits(lines, classifyHit);
    expect(output.hits).toEqual([{ line: 1, counted: false, why: 'coalesced' }, { line: 2, counted: true, why: null }]);
  });

  it('keeps "__proto__" as an ordinary message id and URL', async () => {
    const { output } = await replayHits([line({ kind: 'click', message: '__proto__', url: '__proto__', seconds_after_send: 300 })], classifyHit);
    const json = JSON.parse(JSON.stringify(output));
    expect(Object.keys(json.messages)).toEqual(['__proto__']);
    expect(json.messages.__proto__.clicks.__proto__).toEqual({ unique: 1, total: 1 });
  });
});
