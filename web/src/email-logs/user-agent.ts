// A user agent in words (mail app or browser, and system), enough to tell a person from a proxy at a glance.
const APPS: Array<[RegExp, string]> = [
  [/GoogleImageProxy/i, 'Gmail image proxy'],
  [/YahooMailProxy/i, 'Yahoo image proxy'],
  [/Microsoft Office|Outlook/i, 'Outlook'],
  [/Thunderbird\/([\d.]+)/i, 'Thunderbird'],
  [/Edg\/([\d.]+)/, 'Edge'],
  [/Firefox\/([\d.]+)/, 'Firefox'],
  [/Chrome\/([\d.]+)/, 'Chrome'],
  [/Version\/([\d.]+).*Safari/, 'Safari'],
  [/AppleWebKit/, 'Apple Mail'],
  [/curl\/|python-requests|Go-http-client|node-fetch|undici/i, 'a script'],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/iPhone|iPad|iOS/, 'iOS'],
  [/Android/, 'Android'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/Windows/, 'Windows'],
  [/Linux/, 'Linux'],
];

export function describeUserAgent(ua: string): string {
  if (!ua) return 'no user agent';
  const app = APPS.find(([re]) => re.test(ua))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(ua))?.[1];
  if (!app && !system) return 'unknown client';
  return [app, system && `on ${system}`].filter(Boolean).join(' ');
}
