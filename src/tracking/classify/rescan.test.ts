// A gateway's re-scan from a new address, a person opening links in tabs, and two links within a
// second: each rule as a table of emails, with the verdicts the full classifier and the plain rules give.
import { describe, expect, it } from 'vitest';
import type { Hit } from '../hit.ts';
import { classifyEmailHits } from './classify-email-hits.ts';
import { classifyHit, createClassifier } from './index.ts';

const CHROME_WIN = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.0.0 Safari/537.36';
const FIREFOX = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0';
const SAFARI_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15';
const OUTLOOK = 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)';

const SENT = new Date('2026-12-01T09:00:00Z');
const TIMES = { sentAt: SENT, deliveredAt: new Date(SENT.getTime() + 1_000) };
const PERSON = { ua: SAFARI_MAC, ip: '203.0.113.7' };
/** A gateway's addresses (Proofpoint-like: no published range) and the browser UA of its first pass. */
const GW = { ua: CHROME_WIN, ip: '198.51.100.20' };

function open(seconds: number, over: Partial<Hit> = {}): Hit {
  return { kind: 'open', emailId: 'e1', method: 'GET', at: new Date(SENT.getTime() + seconds * 1000), ...PERSON, ...over };
}
function click(link: number, seconds: number, over: Partial<Hit> = {}): Hit {
  return { ...open(seconds, over), kind: 'click', url: `https://shop.example/${link}`, linkIndex: link };
}

/** The gateway's pass at delivery, inside the prefetch window: what shows a gateway scans this email. */
const deliveryScan = [open(2, GW), click(0, 2.3, GW), click(1, 2.6, GW), click(2, 2.9, GW)];

const plain = createClassifier({ rules: 'design' });
const verdicts = (hits: Hit[], c = classifyHit) =>
  classifyEmailHits(c, hits, TIMES).map((h) => (h.backfilled ? (h.counted ? 'backfill' : `backfill:${h.why}`) : h.counted ? 'counted' : h.why));
/** The verdicts of the hits after the delivery scan. */
const after = (hits: Hit[], c = classifyHit) => verdicts([...deliveryScan, ...hits], c).slice(deliveryScan.length);

describe('rescan: a gateway back on an email it scanned at delivery, before anyone read it', () => {
  it.each([
    [
      'its pass 3 min later from a new address and another UA: pixel, then two links 1.5 s apart',
      [open(180, { ua: FIREFOX, ip: '198.51.100.91' }), click(0, 181, { ua: FIREFOX, ip: '198.51.100.91' }), click(2, 182.5, { ua: FIREFOX, ip: '198.51.100.91' })],
      ['rescan', 'rescan', 'gateway_taint'],
      ['counted', 'counted', 'counted'],
    ],
    [
      'its pass from a new address for every link (Proofpoint-like), 5 min later',
      [click(0, 300, { ua: FIREFOX, ip: '198.51.100.31' }), click(1, 301.8, { ua: FIREFOX, ip: '198.51.100.32' })],
      ['rescan', 'backfill:rescan', 'rescan'],
      ['counted', 'backfill', 'counted'],
    ],
    [
      'a person who read the email first, then clicks two links a minute apart',
      [open(120, { ua: OUTLOOK }), click(0, 200), click(1, 260)],
      ['counted', 'counted', 'counted'],
      ['counted', 'counted', 'counted'],
    ],
    [
      'a person with images blocked clicking one link (no pass: nothing with their UA just before)',
      [click(1, 240)],
      ['counted', 'backfill'],
      ['counted', 'backfill'],
    ],
    [
      'a pass 11 min after the scan: later than a gateway comes back, so it counts',
      [open(660, { ua: FIREFOX, ip: '198.51.100.91' }), click(0, 661.2, { ua: FIREFOX, ip: '198.51.100.91' })],
      ['counted', 'counted'],
      ['counted', 'counted'],
    ],
  ])('%s', (_name, hits, full, design) => {
    expect(after(hits)).toEqual(full);
    expect(after(hits, plain)).toEqual(design);
  });

  it('does not apply where no gateway was caught scanning: a reader behind none, images blocked, clicks two links early', () => {
    expect(verdicts([click(0, 90), click(1, 91.6)])).toEqual(['counted', 'backfill', 'counted']);
  });

  it('taints the re-scan\'s address and UA on the email afterwards', () => {
    const pass = [open(180, { ua: FIREFOX, ip: '198.51.100.91' }), click(0, 181, { ua: FIREFOX, ip: '198.51.100.91' })];
    expect(after([...pass, click(3, 4000, { ua: FIREFOX, ip: '198.51.100.91' }), open(5000, { ua: OUTLOOK })])).toEqual(['rescan', 'rescan', 'gateway_taint', 'counted']);
  });
});

describe('a person opening several links in tabs is not a burst', () => {
  const read = open(900, { ua: OUTLOOK });
  it.each([
    ['after reading it, three links 2 s apart from one browser', [read, click(0, 1000), click(1, 1002), click(2, 1004.5)], ['counted', 'counted', 'counted', 'counted']],
    ['without an open of theirs first (images blocked): a slow scan looks the same', [click(0, 1000), click(1, 1002), click(2, 1004.5)], ['burst', 'burst', 'burst']],
    ['after an open, but a scanner\'s pace, one link a second (I7)', [read, click(0, 1000), click(1, 1001), click(2, 1002)], ['counted', 'burst', 'burst', 'burst']],
    ['after an open, from three addresses (S8)', [read, click(0, 1000, { ip: '198.51.100.1' }), click(1, 1002, { ip: '198.51.100.2' }), click(2, 1004, { ip: '198.51.100.3' })], ['counted', 'burst', 'burst', 'burst']],
    ['the open just before is the pass\'s own pixel, not a reading', [open(999, PERSON), click(0, 1000), click(1, 1002), click(2, 1004)], ['burst', 'burst', 'burst', 'burst']],
  ])('%s', (_name, hits, full) => {
    expect(verdicts(hits).filter((v) => !v?.startsWith('backfill'))).toEqual(full);
    expect(verdicts(hits, plain).filter((v) => !v?.startsWith('backfill'))).toEqual(hits.map(() => 'counted'));
  });
});

describe('two different links within a second from one browser are a scan', () => {
  it.each([
    ['20 ms apart, 2 min after delivery, no scan caught before (Trend-like)', [click(0, 120, GW), click(1, 120.02, GW)], ['burst', 'backfill:burst', 'burst']],
    ['0.3 s apart', [click(0, 120, GW), click(1, 120.3, GW)], ['burst', 'backfill:burst', 'burst']],
    ['1.2 s apart: a person can press that fast', [click(0, 120), click(1, 121.2)], ['counted', 'backfill', 'counted']],
    ['the same link twice within a second: a double click, coalesced', [click(0, 120), click(0, 120.4)], ['counted', 'backfill', 'coalesced']],
    ['two browsers, 0.2 s apart: not one browser pressing', [click(0, 120), click(1, 120.2, { ua: FIREFOX, ip: '198.51.100.7' })], ['counted', 'backfill', 'counted']],
  ])('%s', (_name, hits, full) => {
    expect(verdicts(hits)).toEqual(full);
  });
});
