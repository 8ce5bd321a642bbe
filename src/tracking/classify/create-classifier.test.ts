// The classifier on the cases its rules name and on the scanners they must catch, one email at a time.
import { describe, expect, it } from 'vitest';
import type { Hit } from '../hit.ts';
import { classifyEmailHits } from './classify-email-hits.ts';
import { classifyHit, createClassifier, HONEYPOT_URL_MARKER } from './index.ts';

const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
const CHROME_OLD_WIN7 = 'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/57.0.2987.133 Safari/537.36';
const GMAIL_PROXY = 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)';
const YAHOO_PROXY = 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html';
const GMAIL_PREFETCH = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0';
const APPLE_MAIL = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';

const SENT = new Date('2025-03-04T09:00:00Z');
const HOME_IP = '203.0.113.7';

function hit(kind: Hit['kind'], seconds: number, over: Partial<Hit> = {}): Hit {
  return { kind, emailId: 'e1', ua: CHROME_MAC, ip: HOME_IP, method: 'GET', at: new Date(SENT.getTime() + seconds * 1000), ...(kind === 'click' ? { url: 'https://shop.example/a', linkIndex: 0 } : {}), ...over };
}

const design = createClassifier({ rules: 'design' });
const verdicts = (hits: Hit[], times: { sentAt?: Date; deliveredAt?: Date } = { sentAt: SENT }, c = classifyHit) =>
  classifyEmailHits(c, hits, times).map((h) => (h.backfilled ? (h.counted ? 'backfill' : `backfill:${h.why}`) : h.counted ? 'counted' : h.why));

describe('classifyHit', () => {
  it('counts a person opening a few minutes after sending', () => {
    expect(classifyHit(hit('open', 180), { sentAt: SENT, hits: [] })).toEqual({ verdict: { counted: true } });
  });

  it.each([
    ['a HEAD request', hit('click', 300, { method: 'HEAD' }), 'head_request'],
    ['the Gmail prefetch bot', hit('open', 300, { ua: GMAIL_PREFETCH }), 'proxy_prefetch'],
    ['a Google image proxy fetching a link', hit('click', 300, { ua: GMAIL_PROXY }), 'proxy_prefetch'],
    ['Yahoo fetching a link', hit('click', 300, { ua: YAHOO_PROXY }), 'proxy_prefetch'],
    ['Apple MPP from a relay address', hit('open', 300, { ua: 'Mozilla/5.0', ip: '172.224.224.5' }), 'apple_mpp'],
    ['Apple MPP from a relay address missing from the shipped list', hit('open', 300, { ua: 'Mozilla/5.0', ip: '146.75.180.12' }), 'apple_mpp'],
    ['an empty user agent on a click', hit('click', 300, { ua: '' }), 'scanner'],
    ['BingPreview', hit('click', 300, { ua: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) BingPreview/1.0b' }), 'scanner'],
    ['python-requests', hit('click', 300, { ua: 'python-requests/2.31.0' }), 'scanner'],
    ['Safe Links from Exchange Online Protection with an old Chrome', hit('click', 400, { ua: CHROME_OLD_WIN7, ip: '40.107.218.12' }), 'network'],
    ['Barracuda Email Gateway Defense', hit('open', 400, { ua: CHROME_MAC, ip: '209.222.81.40' }), 'network'],
    ['an EOP IPv6 address', hit('click', 400, { ip: '2a01:111:f400:7e8b::12' }), 'network'],
    ['a Sec-Purpose prefetch', hit('open', 400, { purpose: 'prefetch;prerender' }), 'prefetch_header'],
    ['a hit 3 s after sending', hit('click', 3), 'prefetch_window'],
  ])('does not count %s', (_name, h, why) => {
    expect(classifyHit(h, { sentAt: SENT, hits: [] }).verdict).toEqual({ counted: false, why });
  });

  it('counts a Gmail or Yahoo proxy open on the pixel: it relays a person', () => {
    expect(verdicts([hit('open', 600, { ua: GMAIL_PROXY, ip: '66.249.93.73' })])).toEqual(['counted']);
    expect(verdicts([hit('open', 600, { ua: YAHOO_PROXY, ip: '98.136.1.1' })])).toEqual(['counted']);
  });

  it('counts Apple Mail loading images itself (no bare user agent)', () => {
    expect(verdicts([hit('open', 600, { ua: APPLE_MAIL })])).toEqual(['counted']);
  });

  it('coalesces repeat opens and repeat clicks on one link within 60 s of the last counted one', () => {
    const hits = [hit('open', 100), hit('open', 130), hit('open', 161), hit('click', 170), hit('click', 200), hit('click', 205, { url: 'https://shop.example/b', linkIndex: 1 })];
    expect(verdicts(hits)).toEqual(['counted', 'coalesced', 'counted', 'counted', 'coalesced', 'counted']);
  });

  it('back-fills the open of a counted click when no open was counted', () => {
    expect(verdicts([hit('open', 200, { ua: 'Mozilla/5.0' }), hit('click', 400)])).toEqual(['apple_mpp', 'counted', 'backfill']);
    expect(classifyHit(hit('click', 400), { sentAt: SENT, hits: [] })).toEqual({ verdict: { counted: true }, backfillOpen: true });
  });

  it('measures the prefetch window from delivery when the email was delivered late', () => {
    const late = { sentAt: SENT, deliveredAt: new Date(SENT.getTime() + 3_600_000) };
    expect(verdicts([hit('click', 3602)], late)).toEqual(['prefetch_window']);
    expect(verdicts([hit('click', 3602)], late, design)).toEqual(['counted', 'backfill']);
    // A delivery recorded late (the relay's DSN came after the person had opened) does not drop them.
    expect(verdicts([hit('open', 900)], { sentAt: SENT, deliveredAt: new Date(SENT.getTime() + 1_200_000) })).toEqual(['counted']);
  });

  it('treats a scan of every link within seconds as a burst and folds back the clicks and the open it created', () => {
    const scan = [0, 1, 2, 3].map((i) => hit('click', 40 + i * 0.4, { url: `https://shop.example/${i}`, linkIndex: i, ua: CHROME_OLD_WIN7, ip: '198.51.100.20' }));
    expect(verdicts(scan)).toEqual(['burst', 'backfill:burst', 'burst', 'burst', 'burst']);
    expect(verdicts(scan, { sentAt: SENT }, design)).toEqual(['counted', 'backfill', 'counted', 'counted', 'counted']);
    const c = classifyEmailHits(classifyHit, scan, { sentAt: SENT });
    expect(c.some((h) => h.counted)).toBe(false);
  });

  it('does not fold back a Gmail proxy open that falls inside a burst', () => {
    const hits = [hit('open', 40, { ua: GMAIL_PROXY, ip: '66.249.93.84' }), ...[0, 1, 2].map((i) => hit('click', 41 + i, { url: `https://shop.example/${i}`, linkIndex: i, ip: '198.51.100.20' }))];
    expect(verdicts(hits)).toEqual(['counted', 'burst', 'burst', 'burst']);
  });

  it('sees three unexplained addresses on one email within 30 s as a scan', () => {
    const hits = ['198.51.100.1', '198.51.100.77', '192.0.2.33'].map((ip, i) => hit('open', 60 + i * 5, { ip }));
    expect(verdicts(hits)).toEqual(['burst', 'coalesced', 'burst']);
  });

  it('counts a person who opens, then clicks two links a minute apart', () => {
    const hits = [hit('open', 900), hit('click', 960), hit('click', 1020, { url: 'https://shop.example/b', linkIndex: 1 })];
    expect(verdicts(hits)).toEqual(['counted', 'counted', 'counted']);
  });

  it('discards every click within 10 s around a honeypot click, and the honeypot click itself', () => {
    const hits = [
      hit('click', 50, { ip: '198.51.100.9' }),
      hit('click', 51, { url: `https://example.com/#${HONEYPOT_URL_MARKER}`, linkIndex: 5, ip: '198.51.100.9' }),
      hit('click', 58, { url: 'https://shop.example/c', linkIndex: 2, ip: '198.51.100.9' }),
      hit('click', 900),
    ];
    expect(verdicts(hits)).toEqual(['honeypot', 'backfill:honeypot', 'honeypot', 'honeypot', 'counted', 'backfill']);
  });

  it('taints a gateway caught at delivery: its second pass from the same address and UA just after the window is a machine too', () => {
    const gw = { ua: CHROME_MAC, ip: '198.51.100.40' };
    // One link: no burst to see, only the first pass inside the prefetch window (Proofpoint, Mimecast, Cisco).
    const hits = [hit('click', 1.2, gw), hit('open', 1.3, gw), hit('click', 24, gw), hit('open', 24.1, gw), hit('click', 600, { ip: HOME_IP })];
    expect(verdicts(hits)).toEqual(['prefetch_window', 'prefetch_window', 'gateway_taint', 'gateway_taint', 'counted', 'backfill']);
    expect(verdicts(hits, { sentAt: SENT }, design)).toEqual(['prefetch_window', 'prefetch_window', 'counted', 'backfill', 'coalesced', 'counted']);
  });

  it('taints the address and UA of a burst for the rest of the day, and of a HEAD link check', () => {
    const gw = { ua: CHROME_OLD_WIN7, ip: '198.51.100.20' };
    const burst = [0, 1, 2].map((i) => hit('click', 40 + i * 0.5, { url: `https://shop.example/${i}`, linkIndex: i, ...gw }));
    expect(verdicts([...burst, hit('click', 400, gw), hit('click', 90_000, gw)]).slice(-3)).toEqual(['gateway_taint', 'counted', 'backfill']);
    expect(verdicts([hit('click', 300, { ...gw, method: 'HEAD' }), hit('click', 301, gw)])).toEqual(['head_request', 'gateway_taint']);
  });

  it('does not taint a person: another UA from the scan\'s address, or the reader whose open fell in the prefetch window', () => {
    const gw = { ua: CHROME_OLD_WIN7, ip: '198.51.100.20' };
    expect(verdicts([hit('click', 1, gw), hit('click', 300, { ip: gw.ip })])).toEqual(['prefetch_window', 'counted', 'backfill']);
    // The accepted trade-off: an open 4 s after sending is lost, but the same browser's click later counts.
    expect(verdicts([hit('open', 4), hit('click', 200)])).toEqual(['prefetch_window', 'counted', 'backfill']);
  });

  it('never taints a Gmail proxy open, which relays people from shared addresses', () => {
    const proxy = { ua: GMAIL_PROXY, ip: '66.249.93.84' };
    const hits = [hit('click', 300, { ...proxy, url: `https://example.com/#${HONEYPOT_URL_MARKER}`, linkIndex: -1 }), hit('open', 900, proxy)];
    expect(verdicts(hits)).toEqual(['honeypot', 'counted']);
  });

  it('sees Defender/EOP detonating a link minutes later with a current browser UA as a machine (its published ranges)', () => {
    expect(verdicts([hit('click', 420, { ip: '40.107.3.77' }), hit('open', 430, { ip: '104.47.12.9' })])).toEqual(['network', 'network']);
    expect(verdicts([hit('click', 420, { ip: '40.107.3.77' })], { sentAt: SENT }, design)).toEqual(['counted', 'backfill']);
  });

  it('replaces a back-filled open by the person\'s real open when they load the images later: one open, not two', () => {
    const hits = [hit('click', 300), hit('open', 2_000)];
    expect(verdicts(hits)).toEqual(['counted', 'backfill:backfill_replaced', 'counted']);
    expect(verdicts(hits, { sentAt: SENT }, design)).toEqual(['counted', 'backfill', 'counted']);
    const counted = (c = classifyHit) => classifyEmailHits(c, hits, { sentAt: SENT }).filter((h) => h.kind === 'open' && h.counted).length;
    expect([counted(), counted(design)]).toEqual([1, 2]);
    // Within a minute of the click the image load is the same reading, coalesced: the back-fill stays.
    expect(verdicts([hit('click', 300), hit('open', 330)])).toEqual(['counted', 'backfill', 'coalesced']);
  });

  it('is a pure function: the same hit and history give the same answer, and the history is not changed', () => {
    const history = { sentAt: SENT, hits: [{ ...hit('click', 40), counted: true }, { ...hit('click', 41, { linkIndex: 1 }), counted: true }] };
    const before = structuredClone(history);
    const a = classifyHit(hit('click', 42, { linkIndex: 2 }), history);
    expect(classifyHit(hit('click', 42, { linkIndex: 2 }), history)).toEqual(a);
    expect(a.revised).toEqual([{ index: 0, verdict: { counted: false, why: 'burst' } }, { index: 1, verdict: { counted: false, why: 'burst' } }]);
    expect(history).toEqual(before);
  });
});
