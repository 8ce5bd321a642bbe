// Which mail app or browser made a counted open or click, from its User-Agent: the rows of
// stats_clients. A general parser (bowser) names browsers, operating systems and device types; a
// small table of ours, tried first, names the mail apps it does not know or misnames (it calls
// Apple Mail "Safari", Thunderbird "Mozilla" and the Gmail image proxy "Firefox" on Windows XP).
//
// Every name returned comes from a fixed list (the table, the parser's own catalogue, 'Other'), never
// from the UA's text: the names are part of a rollup's key, so an odd UA must not make a new row.
import Bowser from 'bowser';

export type Device = 'desktop' | 'mobile' | 'tablet' | 'unknown';
export type Client = { client: string; os: string; device: Device };

type MailAppRule = {
  client: string;
  match: RegExp;
  /** The UA is a proxy's, not the reader's: whatever OS it names is the proxy's own fiction. */
  hidesReader?: true;
  /** What the app is known to run on, when the UA itself names no OS or device. */
  otherwise?: { os: string; device: Device };
};

// First match wins. Source ids (S*, I*) are listed under Sources in docs/tracking-classifier.md.
const MAIL_APPS: readonly MailAppRule[] = [
  // Gmail fetches every image through its proxy, on the web and in its apps (S10, S11, S36): the UA
  // is the proxy's fixed one, the reader's OS and device are hidden.
  { client: 'Gmail', match: /GoogleImageProxy/, hidesReader: true },
  // Yahoo Mail and AOL fetch images through their proxy the same way (S16, S19).
  { client: 'Yahoo Mail', match: /YahooMailProxy/, hidesReader: true },
  // Outlook for Windows renders mail with Word, which fetches images with an MSIE-style UA carrying
  // "ms-office; MSOffice 16"; its own requests say "Microsoft Office/16.0 (...; Microsoft Outlook
  // 16.0.x; Pro)", or MAPI for its sync; Windows only (device-detector's pim and mobile_apps
  // catalogues, yauaa's e-mail clients). A bare "Microsoft Office" is Word, Excel or Office's
  // link discovery (a scanner, S1), not Outlook, so it is not matched.
  {
    client: 'Outlook',
    match: /Microsoft Outlook|\bms-office\b|\bMSOffice \d|^Microsoft Office\/[\d.]+ \([^)]*\bMAPI\b/,
    otherwise: { os: 'Windows', device: 'desktop' },
  },
  { client: 'Outlook', match: /\bMacOutlook\//, otherwise: { os: 'macOS', device: 'desktop' } },
  { client: 'Outlook', match: /^Outlook-iOS\//, otherwise: { os: 'iOS', device: 'mobile' } },
  { client: 'Outlook', match: /^Outlook-Android\//, otherwise: { os: 'Android', device: 'mobile' } },
  // The new Outlook for Windows (and Outlook on the web in it) is a WebView2 app that appends
  // "OneOutlook/<version>" to Edge's UA. Outlook on the web in an ordinary browser sends that
  // browser's UA and cannot be told from it.
  { client: 'Outlook', match: /\bOneOutlook\//, otherwise: { os: 'Windows', device: 'desktop' } },
  // Thunderbird keeps Firefox's UA with its own product token (Icedove: Debian's old rename).
  { client: 'Thunderbird', match: /\b(?:Thunderbird|Icedove)\/\d/ },
  // The Gmail apps' own requests: "Android-Gmail" (device-detector's pim catalogue), a "Gmail/"
  // product token, and GSA, the Google app, which Gmail for iOS opens links in when told to.
  // The apps' image loads go through the proxy above.
  { client: 'Gmail', match: /Android-Gmail|\bGmail\/\d|\bGSA\//i },
  // Yahoo Mail for iOS fetches outside its web view with a CFNetwork UA named after the app
  // (device-detector's pim catalogue); iPhone or iPad is not said.
  { client: 'Yahoo Mail', match: /^Yahoo%20Mail\//, otherwise: { os: 'iOS', device: 'unknown' } },
  // Apple Mail on macOS and Mail on iOS load remote content in a WebKit view whose UA stops after
  // "(KHTML, like Gecko)" (plus "Mobile/<build>" on iOS): no "Version/… Safari/…", which only
  // Safari adds (S3, WebKit's UserAgentMac). Anchored at both ends: an in-app browser (Facebook's
  // FBAN, the Google app's GSA ...) appends tokens of its own and is not Mail.
  {
    client: 'Apple Mail',
    match: /^Mozilla\/5\.0 \((?:Macintosh|iPhone|iPad|iPod)[^)]*\) AppleWebKit\/[\d.]+ \(KHTML, like Gecko\)(?: Mobile\/\w+)?$/,
  },
  // An Android app's embedded web view ("; wv)" per Chrome's documentation of the WebView UA) rather
  // than the Chrome browser: for mail, an app such as Samsung Email, which names itself only in the
  // X-Requested-With header, not in its UA.
  { client: 'Android WebView', match: /\bAndroid\b.*; wv\)/ },
];

// The parser's browser names, shortened where ours differ; any name it has is otherwise kept.
const BROWSER_NAMES: Readonly<Record<string, string>> = {
  'Microsoft Edge': 'Edge',
  'Samsung Internet for Android': 'Samsung Internet',
};
// Names in the parser's catalogue; for anything else it returns the UA's first token, which must not
// become a client name.
const KNOWN_BROWSERS = new Set<string>(Object.values(Bowser.BROWSER_MAP));

const DEVICES: Readonly<Record<string, Device>> = { desktop: 'desktop', mobile: 'mobile', tablet: 'tablet' };

const UNKNOWN: Client = Object.freeze({ client: 'Other', os: 'unknown', device: 'unknown' });

// Longer than any real UA; bounds the parser's work and the cache's memory on a crafted one.
const MAX_UA_LENGTH = 1_024;
// The engine calls this for every counted hit: most come from a few hundred distinct UAs.
const CACHE_LIMIT = 5_000;
const cache = new Map<string, Client>();

/** The mail app or browser, OS and device type a counted hit's User-Agent names. */
export function clientOf(ua: string): Client {
  const key = ua.length > MAX_UA_LENGTH ? ua.slice(0, MAX_UA_LENGTH) : ua;
  const cached = cache.get(key);
  if (cached) return cached;
  const client = Object.freeze(parse(key.trim()));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, client);
  return client;
}

function parse(ua: string): Client {
  if (ua === '') return UNKNOWN;
  const rule = MAIL_APPS.find((r) => r.match.test(ua));
  if (rule?.hidesReader) return { client: rule.client, os: 'unknown', device: 'unknown' };
  const parsed = Bowser.parse(ua);
  const platform = parsed.platform.type ?? '';
  let os = parsed.os.name || 'unknown';
  let device = DEVICES[platform] ?? 'unknown';
  if (rule) {
    if (os === 'unknown' && rule.otherwise) os = rule.otherwise.os;
    if (device === 'unknown' && rule.otherwise) device = rule.otherwise.device;
    return { client: rule.client, os, device };
  }
  const name = parsed.browser.name ?? '';
  // A crawler's UA says nothing about a reader's device (counted hits should have none).
  const client = platform !== 'bot' && KNOWN_BROWSERS.has(name) ? (BROWSER_NAMES[name] ?? name) : 'Other';
  return { client, os, device };
}
