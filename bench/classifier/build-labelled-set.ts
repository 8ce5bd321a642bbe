// Builds bench/classifier/labelled-hits.jsonl (development) and labelled-hits.held-out.jsonl: synthetic
// but realistic tracking traffic, each hit labelled. The two files come from the same families with
// different seeds; the held-out one was generated only after the rules were final and is not
// looked at while writing them (docs/benchmarks.md, "Tracking classifier").
// Run: node --import tsx bench/classifier/build-labelled-set.ts  (seeded: the same files every time)
//
// Every actor below is a scanner or proxy as public reports describe it (their ids in `source`, listed
// under Sources in docs/tracking-classifier.md): its user agents, networks, methods and timings as
// reported. People are modelled from the same reports
// (mailbox proxies relay their opens, MPP hides them, Outlook pre-flights its clicks). Truth per hit:
// `expected_counted` is true when a person made the hit and it is not a repeat of the same person's
// open (or click on the same link) within 60 s of their last counted one.
// The rules were written from those reports before this set existed; no threshold was fitted to it.
import { writeFileSync } from 'node:fs';

let seed = 0;
function rnd(): number { // mulberry32
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const between = (a: number, b: number) => a + rnd() * (b - a);
const chance = (p: number) => rnd() < p;
const octet = () => 1 + Math.floor(rnd() * 253);
/** Minutes to hours, long-tailed: how people open mail (lognormal, median ~40 min). */
const humanDelay = () => Math.min(86_400 * 3, Math.exp(between(Math.log(30), Math.log(20_000))));

const UA = {
  chromeWin: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  chromeMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36',
  edge: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  firefox: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  safariMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  iphoneSafari: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  androidChrome: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36',
  appleMail: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', // S3
  outlook: 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)', // S1 browsers.yml
  thunderbird: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0',
  gmailProxy: 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', // S10
  yahooProxy: 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', // S16
  gmailPrefetch: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/42.0.2311.135 Safari/537.36 Edge/12.246 Mozilla/5.0', // S17
  safeLinks: [ // I1-I4
    'Mozilla/5.0 (Windows NT 6.1; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/57.0.2987.133 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/72.0.3626.109 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/97.0.4692.99 Safari/537.36',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/80.0.3987.132 Safari/537.36',
  ],
  officeDiscovery: 'Microsoft Office Existence Discovery', // S1
  bingPreview: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0 BingPreview/1.0b',
  skype: 'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
  googleSafety: 'Mozilla/5.0 (compatible; Google-Safety; +http://www.google.com/bot.html)',
  kaspersky: 'Kaspersky Lab CFR link resolver cfradmins@kaspersky.com',
  libs: ['python-requests/2.31.0', 'Go-http-client/1.1', 'curl/8.5.0', 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.109 Safari/537.36'],
};
const PERSON_UAS = [UA.chromeWin, UA.chromeMac, UA.edge, UA.firefox, UA.safariMac, UA.iphoneSafari, UA.androidChrome];
const homeIp = () => `${pick([73, 81, 86, 92, 98, 151, 176, 188])}.${octet()}.${octet()}.${octet()}`;
const cloudIp = () => `${pick(['34', '35', '52', '54', '3', '20', '148.163', '205.139'])}.${octet()}.${octet()}.${octet()}`.split('.').slice(0, 4).join('.');
const eopIp = () => pick([`40.107.${octet()}.${octet()}`, `104.47.${Math.floor(rnd() * 127)}.${octet()}`, `40.92.${octet()}.${octet()}`]);
const msUnlistedIp = () => pick([`40.94.${octet()}.${octet()}`, `20.72.${octet()}.${octet()}`]); // I3, I4, I8: AS8075, not in EOP
const appleListedIp = () => pick([`172.224.224.${Math.floor(rnd() * 32)}`, `104.28.86.${Math.floor(rnd() * 64)}`]);
const appleUnlistedIp = () => pick([`172.225.${octet()}.${octet()}`, `146.75.${octet()}.${octet()}`, `104.28.${octet()}.${octet()}`]); // rest of the egress file
const barracudaIp = () => `209.222.${80 + Math.floor(rnd() * 8)}.${octet()}`;

type Row = Record<string, unknown> & { seconds_after_send: number };
let rows: Row[] = [];
let emailNo = 0;

type Email = { id: string; links: string[]; honeypot?: string; delivered: number };
function newEmail(): Email {
  emailNo += 1;
  const n = 1 + Math.floor(rnd() * 5);
  const links = Array.from({ length: n }, (_, i) => `https://shop.example/c${emailNo % 40}/l${i}`);
  // Half the emails carry the hidden honeypot link, as the rewriter could add (HONEYPOT_URL_MARKER).
  const honeypot = chance(0.5) ? 'https://shop.example/#sendtrail-honeypot' : undefined;
  // Mostly delivered within a second of sending; some greylisted or queued for minutes to hours.
  const delivered = chance(0.15) ? between(300, 7200) : between(0.2, 1.5);
  return { id: `m${String(emailNo).padStart(4, '0')}`, links, ...(honeypot ? { honeypot } : {}), delivered };
}

function add(e: Email, actor: string, source: string, expected: boolean, h: { kind: 'open' | 'click'; url?: string; ua: string; ip: string; method?: string; t: number; purpose?: string }) {
  rows.push({
    kind: h.kind, message: e.id, ...(h.url ? { url: h.url, link_index: h.url === e.honeypot ? -1 : e.links.indexOf(h.url) } : {}),
    ua: h.ua, ip: h.ip, method: h.method ?? 'GET', seconds_after_send: Math.round(h.t * 1000) / 1000,
    delivered_seconds_after_send: Math.round(e.delivered * 1000) / 1000, ...(h.purpose ? { purpose: h.purpose } : {}),
    expected_counted: expected, actor, source,
  });
}

/** A person: opens (maybe again), clicks some links; `via` says how the open reaches us. */
function person(e: Email, via: 'browser' | 'gmail' | 'yahoo' | 'mpp' | 'outlook' | 'fast' | 'tabs' | 'images_later') {
  const ua = via === 'outlook' ? UA.outlook : pick(PERSON_UAS);
  const ip = homeIp();
  const t0 = via === 'fast' ? e.delivered + between(1.5, 9) : e.delivered + humanDelay();
  const source = { browser: 'base-rules', gmail: 'S10,S11,S20', yahoo: 'S16,S19', mpp: 'S12,S13,S15', outlook: 'S1', fast: 'early-person', tabs: 'I7 (counter-case)', images_later: 'I17' }[via];
  const actor = `person_${via}`;
  let readAt = t0;
  if (via === 'images_later') { // images blocked: the click alone says they read it; they load the images later (I17)
    const browser = pick(PERSON_UAS);
    const links = e.links.filter(() => chance(0.6)).slice(0, 2);
    let t = t0;
    for (const url of links.length > 0 ? links : [e.links[0]!]) add(e, actor, source, true, { kind: 'click', url, ua: browser, ip, t: (t += between(5, 300)) });
    const imagesAt = t + between(90, 20_000);
    add(e, actor, source, true, { kind: 'open', ua: pick([ua, UA.appleMail, UA.outlook]), ip, t: imagesAt });
    if (chance(0.2)) add(e, actor, source, false, { kind: 'open', ua, ip, t: imagesAt + between(2, 40) });
    return;
  }
  if (via === 'gmail') add(e, actor, source, true, { kind: 'open', ua: UA.gmailProxy, ip: `66.249.${pick([88, 91, 93])}.${octet()}`, t: t0 });
  else if (via === 'yahoo') {
    add(e, actor, source, true, { kind: 'open', ua: UA.yahooProxy, ip: `98.136.${octet()}.${octet()}`, t: t0 });
    for (let i = 0; i < Math.floor(rnd() * 4); i++) add(e, actor, source, false, { kind: 'open', ua: UA.yahooProxy, ip: `98.136.${octet()}.${octet()}`, t: t0 + 1 + i * between(1, 4) }); // S19 retries
  } else if (via === 'mpp') {
    // The MPP fetch is the machine; the person's real reading is served from Apple's cache (S12).
    const listed = chance(0.4);
    const fetchedAt = e.delivered + between(2, 3600);
    add(e, 'apple_mpp', 'S12,S13,S15', false, { kind: 'open', ua: 'Mozilla/5.0', ip: listed ? appleListedIp() : appleUnlistedIp(), t: fetchedAt });
    readAt = fetchedAt + humanDelay();
  } else {
    add(e, actor, source, true, { kind: 'open', ua: via === 'browser' || via === 'fast' || via === 'tabs' ? pick([ua, UA.appleMail, UA.thunderbird]) : ua, ip, t: t0 });
    if (chance(0.3)) add(e, actor, source, false, { kind: 'open', ua, ip, t: t0 + between(3, 50) }); // re-read within the minute
    if (chance(0.3)) add(e, actor, source, true, { kind: 'open', ua, ip, t: t0 + between(3600, 30_000) }); // reopened later
  }
  const browser = via === 'outlook' ? pick([UA.edge, UA.chromeWin]) : via === 'mpp' ? UA.iphoneSafari : ua === UA.outlook ? UA.edge : pick(PERSON_UAS);
  if (via === 'tabs') { // opens three links in new tabs within a few seconds: a person who looks like a burst
    let t = t0 + between(10, 60);
    for (const url of e.links.slice(0, 3)) add(e, actor, source, true, { kind: 'click', url, ua: browser, ip, t: (t += between(0.8, 3)) });
    return;
  }
  if (!chance(via === 'mpp' ? 0.6 : 0.45)) return;
  let t = readAt + between(8, 240);
  for (const url of e.links.filter(() => chance(0.5)).slice(0, 2)) {
    if (via === 'outlook') add(e, 'office_preflight', 'S1', false, { kind: 'click', url, ua: UA.officeDiscovery, ip, method: 'HEAD', t: t - 0.3 });
    add(e, actor, source, true, { kind: 'click', url, ua: browser, ip, t });
    if (chance(0.15)) add(e, actor, source, false, { kind: 'click', url, ua: browser, ip, t: t + between(1, 20) }); // double click / back-and-again
    t += between(70, 600);
  }
}

/** Gateways: every link (and often the pixel) from datacenter addresses with browser UAs (S5, S8, I13). */
function gateway(e: Email, kind: 'eop' | 'proofpoint' | 'mimecast' | 'barracuda' | 'trend' | 'late_scan') {
  const links = [...e.links, ...(e.honeypot ? [e.honeypot] : [])];
  const ua = kind === 'eop' || kind === 'late_scan' ? pick(UA.safeLinks) : pick([UA.chromeWin, UA.edge, UA.chromeMac]);
  const ipOf = { eop: eopIp, proofpoint: cloudIp, mimecast: cloudIp, barracuda: barracudaIp, trend: cloudIp, late_scan: msUnlistedIp }[kind];
  const source = { eop: 'I1-I5,S30', proofpoint: 'S4,S5,I7', mimecast: 'S4,S26', barracuda: 'S4,S24,S25', trend: 'I2,I13', late_scan: 'I3,I8,I13,I29' }[kind];
  // Synchronous scan at delivery (0-4 s), then for some an asynchronous re-scan tens of seconds to minutes later.
  const passes = kind === 'trend' || kind === 'late_scan' ? [e.delivered + between(15, 300)] : [e.delivered + between(0, 4), ...(chance(0.5) ? [e.delivered + between(15, 300)] : [])];
  for (const start of passes) {
    let t = start;
    if (chance(0.5)) add(e, kind, source, false, { kind: 'open', ua, ip: ipOf(), t });
    for (const url of links) {
      if (kind === 'eop' && chance(0.6)) add(e, kind, source, false, { kind: 'click', url, ua, ip: ipOf(), method: 'HEAD', t: t + 0.01 });
      add(e, kind, source, false, { kind: 'click', url, ua, ip: ipOf(), t: (t += kind === 'proofpoint' ? between(0.5, 1.5) : between(0.005, 0.3)) });
    }
  }
}

/**
 * A gateway that scans from one address and UA: every link (and often the pixel) at delivery, then a
 * second pass from the same address and UA just after the prefetch window (issue 22: Proofpoint,
 * Mimecast, Cisco), slower than a burst, over every link or a few.
 */
function rescanningGateway(e: Email, kind: 'proofpoint_rescan' | 'mimecast_rescan' | 'cisco_rescan') {
  const source = { proofpoint_rescan: 'S4,S5,S27,I7', mimecast_rescan: 'S4,S26', cisco_rescan: 'S4,S28' }[kind];
  const ua = pick([UA.chromeWin, UA.edge, UA.chromeMac, ...UA.safeLinks]);
  const ip = cloudIp();
  const links = [...e.links, ...(e.honeypot ? [e.honeypot] : [])];
  let t = e.delivered + between(0, 3.5);
  if (chance(0.5)) add(e, kind, source, false, { kind: 'open', ua, ip, t });
  for (const url of links) add(e, kind, source, false, { kind: 'click', url, ua, ip, t: (t = Math.min(t + between(0.05, 1.2), e.delivered + 4.9)) });
  t = e.delivered + between(5.5, 120);
  if (chance(0.6)) add(e, kind, source, false, { kind: 'open', ua, ip, t });
  for (const url of e.links.filter(() => chance(0.7))) add(e, kind, source, false, { kind: 'click', url, ua, ip, t: (t += between(2, 15)) });
}

/** Defender/EOP's asynchronous detonation minutes after delivery, from EOP's ranges, with a current browser UA (I13, I29, S30). */
function eopDetonation(e: Email) {
  const ua = pick([UA.chromeWin, UA.edge]);
  let t = e.delivered + between(60, 1800);
  if (chance(0.3)) add(e, 'eop_detonation', 'I13,I29,S30', false, { kind: 'open', ua, ip: eopIp(), t });
  for (const url of e.links.filter(() => chance(0.5)).slice(0, 2)) add(e, 'eop_detonation', 'I13,I29,S30', false, { kind: 'click', url, ua, ip: eopIp(), t: (t += between(0.5, 20)) });
}

/** Identified one-off fetchers: previews, safety crawlers, libraries, Gmail prefetch, proxies following links. */
function oneOff(e: Email, kind: string) {
  const url = pick(e.links);
  const t = e.delivered + between(0.5, 20_000);
  switch (kind) {
    case 'gmail_prefetch': return add(e, kind, 'S17,I6', false, { kind: 'open', ua: UA.gmailPrefetch, ip: `66.249.${octet()}.${octet()}`, t: e.delivered + between(0.2, 8) });
    case 'yahoo_link_fetch': return add(e, kind, 'S16', false, { kind: 'click', url, ua: UA.yahooProxy, ip: `98.136.${octet()}.${octet()}`, t });
    case 'preview': return add(e, kind, 'S1,S2', false, { kind: 'click', url, ua: pick([UA.bingPreview, UA.skype]), ip: `40.77.${pick([188, 139])}.${octet()}`, t });
    case 'safety': return add(e, kind, 'S1,S18', false, { kind: 'click', url, ua: pick([UA.googleSafety, UA.kaspersky]), ip: `64.233.${octet()}.${octet()}`, t });
    case 'library': return add(e, kind, 'S1,S6,I18', false, { kind: pick(['open', 'click'] as const), url, ua: pick(UA.libs), ip: cloudIp(), t });
    case 'empty_ua': return add(e, kind, 'S6,I4', false, { kind: 'click', url, ua: '', ip: pick([`104.47.${octet()}.254`, cloudIp()]), t: e.delivered + between(20, 400) });
    case 'prefetch_header': return add(e, kind, 'S6', false, { kind: 'click', url, ua: pick(PERSON_UAS), ip: homeIp(), t, purpose: 'prefetch' });
    case 'mimecast_at_click': { // a person clicks; Mimecast scans the same URL at click time ~5 s later, other OS and IP (S26, I12)
      const ip = homeIp();
      add(e, 'person_browser', 'base-rules', true, { kind: 'open', ua: UA.outlook, ip, t: t - 30 });
      add(e, 'person_browser', 'base-rules', true, { kind: 'click', url, ua: UA.chromeMac, ip, t });
      return add(e, kind, 'S26,I12', false, { kind: 'click', url, ua: UA.chromeWin, ip: cloudIp(), t: t + between(3, 12) });
    }
  }
}

type Scenario = [number, (e: Email) => void];
const PEOPLE: Scenario[] = [
  [26, (e) => person(e, 'browser')], [12, (e) => person(e, 'gmail')], [5, (e) => person(e, 'yahoo')], [16, (e) => person(e, 'mpp')],
  [6, (e) => person(e, 'outlook')], [4, (e) => person(e, 'fast')], [2, (e) => person(e, 'tabs')], [3, (e) => oneOff(e, 'mimecast_at_click')],
  [6, (e) => person(e, 'images_later')],
];
const MACHINES: Scenario[] = [
  [8, (e) => gateway(e, 'eop')], [5, (e) => gateway(e, 'proofpoint')], [3, (e) => gateway(e, 'mimecast')], [3, (e) => gateway(e, 'barracuda')],
  [3, (e) => gateway(e, 'trend')], [3, (e) => gateway(e, 'late_scan')],
  [3, (e) => rescanningGateway(e, 'proofpoint_rescan')], [2, (e) => rescanningGateway(e, 'mimecast_rescan')], [2, (e) => rescanningGateway(e, 'cisco_rescan')],
  [3, eopDetonation],
  ...['gmail_prefetch', 'yahoo_link_fetch', 'preview', 'safety', 'library', 'empty_ua', 'prefetch_header'].map((k): Scenario => [1.5, (e) => oneOff(e, k)]),
];
function draw(list: Scenario[]): (e: Email) => void {
  let x = rnd() * list.reduce((a, [w]) => a + w, 0);
  for (const [w, f] of list) if ((x -= w) < 0) return f;
  return list[0]![1];
}

// One email is one recipient: at most one person (70 %), and zero to two machines (a gateway in front
// of a corporate mailbox, a preview, a prefetch) in any order of time.
function build(startSeed: number, emails: number, file: string) {
  seed = startSeed;
  rows = [];
  emailNo = 0;
  for (let i = 0; i < emails; i++) {
    const e = newEmail();
    const machines = Math.floor(rnd() * rnd() * 3) + (chance(0.3) ? 1 : 0);
    if (chance(0.7) || machines === 0) draw(PEOPLE)(e);
    for (let k = 0; k < machines; k++) draw(MACHINES)(e);
  }
  rows.sort((a, b) => String(a.message).localeCompare(String(b.message)) || a.seconds_after_send - b.seconds_after_send);
  const out = new URL(file, import.meta.url);
  writeFileSync(out, rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  console.log(`${rows.length} hits of ${emailNo} emails -> ${out.pathname}`);
}

build(20261123, 600, './labelled-hits.jsonl');
build(20261207, 600, './labelled-hits.held-out.jsonl');
