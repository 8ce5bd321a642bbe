// Builds bench/classifier/labelled-hits.fresh.jsonl: a third labelled set, held out from everything the
// classifier was written or revised against. Its generator is this file, written on its own from the
// reference notes on scanners and proxies (the rows of docs/tracking-classifier.md's Sources), not from
// build-labelled-set.ts, with its own mix of mailboxes, its own timings and a different seed. It was
// committed, with its output, before the classifier was first run on it, and is not to be changed after
// seeing how the classifier scores it (docs/benchmarks.md, "Tracking classifier"): a fix prompted by its
// misses needs another fresh set to be measured on.
// Run: node --import tsx bench/classifier/build-fresh-held-out.ts  (seeded: the same file every time)
// Another fresh set from the same generator: ... build-fresh-held-out.ts --seed N --out ./FILE.jsonl
// (FILE relative to this folder; the defaults are 20261208 and ./labelled-hits.fresh.jsonl).
//
// What differs from the other sets, all from the notes: one recipient's mailbox decides who fetches
// (Gmail, Yahoo/AOL, Apple Mail with and without MPP, Outlook.com, a corporate mailbox behind one of
// six gateways, other providers); 30 % of emails go through a relay that reports no delivery time, so
// scans follow a delivery the classifier never sees; gateways scan again at the time of a person's click
// (Safe Links I29, Mimecast S26, Proofpoint S27, Cisco S28); Outlook on the web relays people's opens
// from Microsoft addresses (I14); the honeypot link is in every email (on by default) and a gateway's
// pass follows it or not.
import { writeFileSync } from 'node:fs';

// xorshift128+ seeded through splitmix32: a PRNG of its own, so this set shares no stream with the others.
const flag = (name: string) => { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; };
const SEED = Number(flag('--seed') ?? 20261208);
if (!Number.isSafeInteger(SEED)) throw new Error('--seed: an integer');
let s0 = 0;
let s1 = 0;
let s2 = 0;
let s3 = 0;
function seedWith(n: number): void {
  let x = n >>> 0;
  const next = () => {
    x = (x + 0x9e3779b9) >>> 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  [s0, s1, s2, s3] = [next(), next(), next(), next()];
}
function random(): number { // xoshiro128**
  const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
  const t = s1 << 9;
  s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t; s3 = rotl(s3, 11);
  return result / 4294967296;
}
const rotl = (x: number, k: number) => ((x << k) | (x >>> (32 - k))) >>> 0;
const uniform = (a: number, b: number) => a + random() * (b - a);
const p = (x: number) => random() < x;
const oneOf = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const byte = () => Math.floor(random() * 256);
const host = () => 1 + Math.floor(random() * 254);
/** Lognormal by Box-Muller: median m seconds, spread sigma. */
const lognormal = (m: number, sigma: number) => m * Math.exp(sigma * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()));

const CHROME = (v: string, os = 'Windows NT 10.0; Win64; x64') => `Mozilla/5.0 (${os}) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${v} Safari/537.36`;
const UA = {
  desktop: [CHROME('133.0.0.0'), CHROME('134.0.0.0', 'Macintosh; Intel Mac OS X 10_15_7'), `${CHROME('133.0.0.0')} Edg/133.0.0.0`, 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:135.0) Gecko/20100101 Firefox/135.0', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Safari/605.1.15'],
  mobile: ['Mozilla/5.0 (iPhone; CPU iPhone OS 18_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.3 Mobile/15E148 Safari/604.1', 'Mozilla/5.0 (Linux; Android 15; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/133.0.6943.49 Mobile Safari/537.36'],
  appleMailWebKit: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', // S3
  outlookDesktop: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)', // S1 (browsers.yml: not a bot)
  thunderbird: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Thunderbird/128.7.0',
  googleProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', // S10
  gmailPrefetch: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0', // S17
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', // S16
  officeDiscovery: ['Microsoft Office Existence Discovery', 'Microsoft Office Protocol Discovery'], // S1
  safeLinksOld: [CHROME('57.0.2987.133', 'Windows NT 6.1; Win64; x64'), CHROME('72.0.3626.109'), CHROME('97.0.4692.99'), CHROME('79.0.3945.136'), CHROME('80.0.3987.132'), CHROME('96.0.4664.110')], // I1-I4, I2
  previews: ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0 BingPreview/1.0b', 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com'], // S1
  checkers: ['Mozilla/5.0 (compatible; Google-Safety; +http://www.google.com/bot.html)', 'Google-Safety', 'Kaspersky Lab CFR link resolver cfradmins@kaspersky.com', 'Barracuda Sentinel (EE)'], // S1, S18, I21
  tools: ['python-requests/2.32.3', 'Go-http-client/2.0', 'curl/8.11.1', 'axios/1.7.9', 'Java/17.0.13', 'node-fetch/1.0 (+https://github.com/bitinn/node-fetch)', CHROME('131.0.0.0', 'X11; Linux x86_64').replace('Chrome/', 'HeadlessChrome/')], // S1, S6, I18
};

const IP = {
  home: () => `${oneOf([24, 67, 71, 82, 88, 90, 101, 115, 180, 186])}.${byte()}.${byte()}.${host()}`,
  office: () => `${oneOf([62, 80, 193, 195, 212, 217])}.${byte()}.${byte()}.${host()}`,
  google: () => `66.249.${oneOf([80, 81, 83, 84, 88, 91, 93])}.${host()}`, // S36
  yahoo: () => `${oneOf(['98.136', '98.137', '74.6', '87.248'])}.${byte()}.${host()}`,
  appleListed: () => oneOf([`172.224.224.${Math.floor(random() * 32)}`, `104.28.86.${Math.floor(random() * 64)}`]), // S15 sample lines
  appleOther: () => oneOf([`172.225.${byte()}.${host()}`, `172.226.${byte()}.${host()}`, `146.75.${byte()}.${host()}`, `104.28.${oneOf([2, 40, 97, 124])}.${host()}`]), // the rest of the egress file
  eop: () => oneOf([`40.92.${byte()}.${host()}`, `40.93.${byte()}.${host()}`, `40.107.${byte()}.${host()}`, `52.100.${byte()}.${host()}`, `52.101.${byte()}.${host()}`, `104.47.${Math.floor(random() * 128)}.${host()}`]), // S4, S30
  microsoftOther: () => oneOf([`40.94.${byte()}.${host()}`, `20.72.${byte()}.${host()}`, `52.96.${byte()}.${host()}`]), // AS8075 outside EOP (I3, I4, I8, I14)
  proofpoint: () => oneOf([`148.163.${byte()}.${host()}`, `67.231.${byte()}.${host()}`, `205.220.${byte()}.${host()}`]),
  mimecast: () => oneOf([`205.139.110.${host()}`, `207.211.30.${host()}`, `185.58.${oneOf([84, 85, 86])}.${host()}`, `91.220.42.${host()}`]),
  barracuda: () => oneOf([`209.222.${80 + Math.floor(random() * 8)}.${host()}`, `35.157.190.${224 + Math.floor(random() * 32)}`]), // S25, S4
  cisco: () => `${oneOf(['68.232', '216.71', '185.12'])}.${byte()}.${host()}`,
  trend: () => oneOf([`150.70.${byte()}.${host()}`, `18.${byte()}.${byte()}.${host()}`, `54.${byte()}.${byte()}.${host()}`]),
  cloud: () => `${oneOf([3, 13, 34, 35, 44, 52, 104, 138, 159, 165])}.${byte()}.${byte()}.${host()}`,
};

type Email = { id: string; links: string[]; honeypot: string; delivered: number; deliveryRecorded: boolean };
type Hit = { email: Email; kind: 'open' | 'click'; url?: string; ua: string; ip: string; method: string; t: number; purpose?: string; person: boolean; actor: string; source: string };
let hits: Hit[] = [];

function hit(email: Email, person: boolean, actor: string, source: string, h: { kind: 'open' | 'click'; url?: string; ua: string; ip: string; t: number; method?: string; purpose?: string }): void {
  hits.push({ email, person, actor, source, method: h.method ?? 'GET', ...h });
}

/** A gateway's pass over the email: the pixel sometimes, every link, the hidden one sometimes. */
function pass(e: Email, actor: string, source: string, o: { start: number; gap: [number, number]; ua: () => string; ip: () => string; pixel: number; honeypot: number; head?: number; only?: string[] }): void {
  let t = o.start;
  if (p(o.pixel)) hit(e, false, actor, source, { kind: 'open', ua: o.ua(), ip: o.ip(), t });
  const links = o.only ?? [...e.links, ...(p(o.honeypot) ? [e.honeypot] : [])];
  for (const url of links) {
    t += uniform(...o.gap);
    if (o.head !== undefined && p(o.head)) hit(e, false, actor, source, { kind: 'click', url, ua: o.ua(), ip: o.ip(), t, method: 'HEAD' });
    hit(e, false, actor, source, { kind: 'click', url, ua: o.ua(), ip: o.ip(), t: t + 0.002 });
  }
}

type Gateway = 'eop' | 'proofpoint' | 'mimecast' | 'barracuda' | 'cisco' | 'trend';
/** What a gateway does at delivery and later (scanners.md's table); returns what it does when the person clicks. */
function gateway(e: Email, g: Gateway): (url: string, at: number) => void {
  const d = e.delivered;
  const fixed = <T>(x: T) => () => x;
  switch (g) {
    case 'eop': { // I1-I5, I13, I29, S30, S34: before/at delivery, HEAD and GET, EOP ranges; async re-scans; again at click
      pass(e, 'eop', 'I1-I5,S30,S34', { start: d + uniform(0, 3), gap: [0.005, 0.5], ua: fixed(oneOf(UA.safeLinksOld)), ip: IP.eop, pixel: 0.5, honeypot: 0.8, head: 0.5 });
      if (p(0.4)) {
        const blank = p(0.2); // I4: later hits with an empty UA from 104.47.x
        pass(e, 'eop_rescan', 'I4,I8,I13', { start: d + uniform(20, 600), gap: [0.001, 0.05], ua: fixed(blank ? '' : oneOf(UA.desktop)), ip: p(0.5) ? IP.eop : IP.microsoftOther, pixel: 0.3, honeypot: 0.8 });
      }
      return (url, at) => { if (p(0.7)) hit(e, false, 'eop_at_click', 'I29,S30', { kind: 'click', url, ua: oneOf(UA.safeLinksOld), ip: IP.eop(), t: at + uniform(-1, 3) }); };
    }
    case 'proofpoint': { // I7, S4, S5, S27: every link at delivery, about one a second, from different IPs and UAs; sandbox at click
      pass(e, 'proofpoint', 'I7,S4,S5', { start: d + uniform(0, 5), gap: [0.5, 1.5], ua: () => oneOf(UA.desktop), ip: IP.proofpoint, pixel: 0.6, honeypot: 0.8, head: 0.2 });
      secondPass(e, 'proofpoint_rescan', 'S4,S5,scanners.md §4', IP.proofpoint);
      return (url, at) => { if (p(0.6)) hit(e, false, 'proofpoint_at_click', 'S27', { kind: 'click', url, ua: oneOf(UA.desktop), ip: IP.proofpoint(), t: at + uniform(1, 8) }); };
    }
    case 'mimecast': { // S4, S26: delivery scan; at click about 5 s later
      const ip = IP.mimecast();
      pass(e, 'mimecast', 'S4,S26', { start: d + uniform(0, 4), gap: [0.02, 0.4], ua: fixed(oneOf(UA.desktop)), ip: () => (p(0.7) ? ip : IP.mimecast()), pixel: 0.5, honeypot: 0.8, head: 0.2 });
      secondPass(e, 'mimecast_rescan', 'S4,S26,scanners.md §4', IP.mimecast);
      return (url, at) => { if (p(0.8)) hit(e, false, 'mimecast_at_click', 'S26', { kind: 'click', url, ua: oneOf(UA.desktop), ip: IP.mimecast(), t: at + uniform(3, 8) }); };
    }
    case 'barracuda': // S4, S24, S25: at delivery from the EGD ranges, no identifying UA
      pass(e, 'barracuda', 'S4,S24,S25', { start: d + uniform(0, 3), gap: [0.01, 0.3], ua: fixed(oneOf(UA.desktop)), ip: IP.barracuda, pixel: 0.5, honeypot: 0.8 });
      secondPass(e, 'barracuda_rescan', 'S4,scanners.md §4', IP.barracuda);
      return () => {};
    case 'cisco': { // S4, S28: delivery and click
      const ip = IP.cisco();
      pass(e, 'cisco', 'S4,S28', { start: d + uniform(0, 5), gap: [0.05, 0.8], ua: fixed(oneOf(UA.desktop)), ip: () => ip, pixel: 0.4, honeypot: 0.8 });
      secondPass(e, 'cisco_rescan', 'S4,S28,scanners.md §4', () => ip);
      return (url, at) => { if (p(0.5)) hit(e, false, 'cisco_at_click', 'S28', { kind: 'click', url, ua: oneOf(UA.desktop), ip: IP.cisco(), t: at + uniform(1, 6) }); };
    }
    case 'trend': { // I2, I13: every link within milliseconds, a few seconds after receipt or tens of seconds to minutes after
      const ip = IP.trend();
      pass(e, 'trend', 'I2,I13', { start: d + (p(0.5) ? uniform(2, 10) : uniform(20, 300)), gap: [0.001, 0.05], ua: fixed(oneOf(UA.desktop)), ip: () => ip, pixel: 0.4, honeypot: 0.8 });
      return () => {};
    }
  }
}

/** scanners.md §4: gateways re-scan links 6 s to several minutes after delivery with ordinary browser UAs. */
function secondPass(e: Email, actor: string, source: string, ip: () => string): void {
  if (!p(0.4)) return;
  const sameIp = ip();
  const ua = oneOf(UA.desktop);
  const subset = e.links.filter(() => p(0.7));
  pass(e, actor, source, { start: e.delivered + uniform(6, 300), gap: [0.05, 2], ua: () => ua, ip: p(0.5) ? () => sameIp : ip, pixel: 0.4, honeypot: 0.5, ...(subset.length > 0 ? { only: subset } : {}) });
}

type Mailbox = 'gmail' | 'yahoo' | 'apple_mpp' | 'apple_plain' | 'outlook_com' | 'corporate' | 'other';

/** The recipient: whether and when they read, with what, from where; what they click. */
function recipient(e: Email, box: Mailbox, onClick: (url: string, at: number) => void): void {
  const actor = `person_${box}`;
  const reads = p(0.55);
  const blocked = p(0.1); // images blocked: a click with no open of theirs (I17)
  const fast = p(0.03);
  const firstRead = e.delivered + (fast ? uniform(1, 15) : Math.min(345_600, Math.max(20, lognormal(5400, 1.6))));
  if (!reads) return;
  const homeLike = box === 'corporate' ? IP.office() : IP.home();
  const browser = oneOf([...UA.desktop, ...UA.mobile]);
  const reopen = p(0.25) ? firstRead + uniform(3600, 172_800) : null;
  const reread = p(0.2) ? firstRead + uniform(2, 55) : null; // back to it within the minute: not a new open
  const opens = [firstRead, ...(reread ? [reread] : []), ...(reopen ? [reopen] : [])];
  const open = (t: number, first: boolean): void => {
    switch (box) {
      case 'gmail': // S10, S11, S20: the proxy fetches at the first open and caches: later opens mostly unseen
        if (first || p(0.3)) hit(e, true, actor, 'S10,S11,S20', { kind: 'open', ua: UA.googleProxy, ip: IP.google(), t });
        break;
      case 'yahoo': { // S16, S19: relayed by the proxy, retried up to 4 times
        hit(e, true, actor, 'S16,S19', { kind: 'open', ua: UA.yahooProxy, ip: IP.yahoo(), t });
        const retries = p(0.3) ? 1 + Math.floor(random() * 4) : 0;
        for (let i = 1; i <= retries; i++) hit(e, true, actor, 'S19', { kind: 'open', ua: UA.yahooProxy, ip: IP.yahoo(), t: t + i * uniform(0.5, 5) });
        break;
      }
      case 'apple_mpp': break; // S12: a real open is served from Apple's cache and never reaches us
      case 'apple_plain': hit(e, true, actor, 'S3', { kind: 'open', ua: UA.appleMailWebKit, ip: homeLike, t }); break;
      case 'outlook_com': hit(e, true, actor, 'I14', { kind: 'open', ua: oneOf(UA.desktop), ip: IP.microsoftOther(), t }); break; // Outlook on the web relays the open
      case 'corporate': hit(e, true, actor, 'S1', { kind: 'open', ua: p(0.7) ? UA.outlookDesktop : oneOf(UA.desktop), ip: homeLike, t }); break;
      case 'other': hit(e, true, actor, 'S1,S3', { kind: 'open', ua: oneOf([UA.thunderbird, UA.appleMailWebKit, ...UA.desktop, ...UA.mobile]), ip: homeLike, t }); break;
    }
  };
  if (!blocked) opens.forEach((t, i) => open(t, i === 0));
  if (!(blocked || p(0.25))) return;
  const links = e.links.filter(() => p(0.4));
  if (links.length === 0) links.push(oneOf(e.links));
  const tabs = links.length >= 3 && p(0.3); // several links opened in tabs within seconds (I7's counter-case)
  const clickIp = box === 'outlook_com' ? IP.home() : homeLike; // Outlook on the web relays the open, not the click (I14)
  let t = firstRead + uniform(5, 240);
  for (const url of links.slice(0, 3)) {
    if (box === 'corporate' && p(0.5)) hit(e, false, 'office_preflight', 'S1', { kind: 'click', url, ua: oneOf(UA.officeDiscovery), ip: homeLike, t: t - 0.2, method: 'HEAD' });
    hit(e, true, actor, 'base-rules', { kind: 'click', url, ua: browser, ip: clickIp, t });
    onClick(url, t);
    if (p(0.1)) hit(e, true, actor, 'base-rules', { kind: 'click', url, ua: browser, ip: clickIp, t: t + uniform(0.5, 30) }); // double click, back and again
    t += tabs ? uniform(1, 4) : uniform(20, 600);
  }
  if (blocked && p(0.4)) open(t + uniform(60, 36_000), true); // loads the images later, through the mailbox's own way of fetching them (I17)
}

/** The mailbox's own machines, and the odd fetcher anywhere. */
function mailboxMachines(e: Email, box: Mailbox): void {
  if (box === 'gmail' && p(0.04)) hit(e, false, 'gmail_prefetch', 'S17,I6', { kind: 'open', ua: UA.gmailPrefetch, ip: IP.google(), t: e.delivered + uniform(0.5, 6) });
  if (box === 'yahoo' && p(0.3)) hit(e, false, 'yahoo_link_fetch', 'S16', { kind: 'click', url: oneOf(e.links), ua: UA.yahooProxy, ip: IP.yahoo(), t: e.delivered + uniform(10, 40_000) });
  if (box === 'apple_mpp') {
    const devices = p(0.1) ? 2 : 1; // S13: once per device (an inference, L)
    for (let i = 0; i < devices; i++) hit(e, false, 'apple_mpp', 'S12-S15,S31', { kind: 'open', ua: p(0.95) ? 'Mozilla/5.0' : '', ip: p(0.5) ? IP.appleListed() : IP.appleOther(), t: e.delivered + Math.min(86_400, lognormal(300, 2)) });
  }
  if (p(0.02)) hit(e, false, 'preview', 'S1,I23', { kind: 'click', url: oneOf(e.links), ua: oneOf(UA.previews), ip: `40.77.${oneOf([188, 139, 167])}.${host()}`, t: e.delivered + uniform(60, 200_000) });
  if (p(0.02)) hit(e, false, 'checker', 'S1,S18,I16,I21', { kind: 'click', url: oneOf(e.links), ua: oneOf(UA.checkers), ip: IP.cloud(), t: e.delivered + uniform(1, 50_000) });
  if (p(0.02)) hit(e, false, 'tool', 'S1,S6,I18', { kind: p(0.5) ? 'open' : 'click', url: oneOf(e.links), ua: oneOf(UA.tools), ip: IP.cloud(), t: e.delivered + uniform(1, 50_000) });
  if (p(0.015)) hit(e, false, 'browser_prefetch', 'S6', { kind: 'click', url: oneOf(e.links), ua: oneOf(UA.desktop), ip: IP.home(), t: e.delivered + uniform(30, 50_000), purpose: oneOf(['prefetch', 'prerender']) });
}

const MAILBOXES: [Mailbox, number][] = [['gmail', 25], ['yahoo', 7], ['apple_mpp', 14], ['apple_plain', 2], ['outlook_com', 10], ['corporate', 32], ['other', 10]];
const GATEWAYS: [Gateway, number][] = [['eop', 40], ['proofpoint', 20], ['mimecast', 14], ['barracuda', 10], ['cisco', 8], ['trend', 8]];
const weighted = <T>(xs: [T, number][]): T => {
  let x = random() * xs.reduce((a, [, w]) => a + w, 0);
  for (const [v, w] of xs) if ((x -= w) < 0) return v;
  return xs[0]![0];
};

/** expected_counted: a person's hit, unless it repeats their last counted open (or click on that link) within 60 s. */
function label(list: Hit[]): (Hit & { expected: boolean })[] {
  const lastOpen = new Map<string, number>();
  const lastClick = new Map<string, number>();
  return [...list].sort((a, b) => a.email.id.localeCompare(b.email.id) || a.t - b.t).map((h) => {
    if (!h.person) return { ...h, expected: false };
    const key = h.kind === 'open' ? h.email.id : `${h.email.id} ${h.url}`;
    const last = (h.kind === 'open' ? lastOpen : lastClick).get(key);
    const expected = last === undefined || h.t - last >= 60;
    if (expected) (h.kind === 'open' ? lastOpen : lastClick).set(key, h.t);
    return { ...h, expected };
  });
}

function build(emails: number, file: string): void {
  seedWith(SEED);
  hits = [];
  for (let i = 1; i <= emails; i++) {
    const n = 1 + Math.floor(random() * 6);
    const links = Array.from({ length: n }, (_, k) => `https://store.example/p/${i % 53}/${k}`);
    const deliveryRecorded = p(0.7); // through a relay, the ESP often learns of no delivery
    const e: Email = { id: `f${String(i).padStart(4, '0')}`, links, honeypot: 'https://store.example/#sendtrail-honeypot', delivered: p(0.1) ? uniform(60, 1800) : uniform(0.3, 3), deliveryRecorded };
    const box = weighted(MAILBOXES);
    const onClick = box === 'corporate' ? gateway(e, weighted(GATEWAYS)) : () => {};
    mailboxMachines(e, box);
    recipient(e, box, onClick);
  }
  const rows = label(hits).map((h) => JSON.stringify({
    kind: h.kind, message: h.email.id, ...(h.url ? { url: h.url, link_index: h.url === h.email.honeypot ? -1 : h.email.links.indexOf(h.url) } : {}),
    ua: h.ua, ip: h.ip, method: h.method, seconds_after_send: Math.round(Math.max(0.05, h.t) * 1000) / 1000,
    ...(h.email.deliveryRecorded ? { delivered_seconds_after_send: Math.round(h.email.delivered * 1000) / 1000 } : {}),
    ...(h.purpose ? { purpose: h.purpose } : {}), expected_counted: h.expected, actor: h.actor, source: h.source,
  }));
  const out = new URL(file, import.meta.url);
  writeFileSync(out, rows.join('\n') + '\n');
  console.log(`${rows.length} hits of ${new Set(hits.map((h) => h.email.id)).size} emails with hits (${emails} sent) -> ${out.pathname}`);
}

build(1000, flag('--out') ?? './labelled-hits.fresh.jsonl');
