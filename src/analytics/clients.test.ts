import { describe, expect, it } from 'vitest';
import { clientOf, type Client } from './clients.ts';

const c = (client: string, os: string, device: Client['device']): Client => ({ client, os, device });

describe('clientOf', () => {
  // Browsers, proxies, Outlook, Thunderbird and Apple Mail: real UA strings (the classifier's
  // fixtures and signatures, bench/classifier's labelled hits). The Gmail and Yahoo apps' own
  // requests are written in the form the UA catalogues give for their tokens.
  it.each<[string, string, Client]>([
    // Mailbox proxies: the reader's OS and device are hidden.
    ['Gmail image proxy', 'Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)', c('Gmail', 'unknown', 'unknown')],
    ['Yahoo image proxy', 'YahooMailProxy; https://help.yahoo.com/kb/yahoo-mail-proxy-SLN28749.html', c('Yahoo Mail', 'unknown', 'unknown')],
    // Outlook.
    ['Outlook for Windows (Word renders the images)', 'Mozilla/4.0 (compatible; ms-office; MSOffice 16)', c('Outlook', 'Windows', 'desktop')],
    ['Outlook for Windows, MSIE-style UA', 'Mozilla/4.0 (compatible; MSIE 7.0; Windows NT 10.0; WOW64; Trident/7.0; .NET4.0C; .NET4.0E; Microsoft Outlook 16.0.5422; ms-office; MSOffice 16)', c('Outlook', 'Windows', 'desktop')],
    ['Outlook for Windows, Office UA', 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.17328; Pro)', c('Outlook', 'Windows', 'desktop')],
    ['Outlook for Windows, no OS in the UA', 'Microsoft Office/16.0 (Microsoft Outlook 16.0.8241; Pro)', c('Outlook', 'Windows', 'desktop')],
    ['Outlook over MAPI', 'Microsoft Office/16.0 (Windows NT 10.0; MAPI 16.0.4266; Pro)', c('Outlook', 'Windows', 'desktop')],
    ['Outlook for Mac', 'MacOutlook/16.80.23121017 (Intel Mac OS X 10_15_7)', c('Outlook', 'macOS', 'desktop')],
    ['Outlook for iOS', 'Outlook-iOS/723.4027091.prod.iphone (4.2418.0)', c('Outlook', 'iOS', 'mobile')],
    ['Outlook for Android', 'Outlook-Android/2.0', c('Outlook', 'Android', 'mobile')],
    ['the new Outlook for Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 Edg/122.0.0.0 OneOutlook/1.2024.307.100', c('Outlook', 'Windows', 'desktop')],
    // Thunderbird.
    ['Thunderbird on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Thunderbird/128.5.0', c('Thunderbird', 'Windows', 'desktop')],
    ['Thunderbird on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.8.0', c('Thunderbird', 'Linux', 'desktop')],
    ['Thunderbird on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:115.0) Gecko/20100101 Thunderbird/115.8.0', c('Thunderbird', 'macOS', 'desktop')],
    // Apple Mail: WebKit without Safari's tokens.
    ['Apple Mail on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)', c('Apple Mail', 'macOS', 'desktop')],
    ['Mail on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', c('Apple Mail', 'iOS', 'mobile')],
    ['Mail on iPad', 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148', c('Apple Mail', 'iOS', 'tablet')],
    // Gmail and Yahoo Mail apps.
    ['Gmail for iOS opening a link in the Google app', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/305.0.612470427 Mobile/15E148 Safari/604.1', c('Gmail', 'iOS', 'mobile')],
    ['Gmail for Android', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Android-Gmail', c('Gmail', 'Android', 'mobile')],
    ['Yahoo Mail for iOS', 'Yahoo%20Mail/7.40.1 CFNetwork/1494.0.7 Darwin/23.4.0', c('Yahoo Mail', 'iOS', 'unknown')],
    // An Android mail app's web view (Samsung Email and the like).
    ['Android web view', 'Mozilla/5.0 (Linux; Android 13; SM-G991B Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/122.0.6261.105 Mobile Safari/537.36', c('Android WebView', 'Android', 'mobile')],
    // Browsers: webmail, or a click.
    ['Chrome on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36', c('Chrome', 'macOS', 'desktop')],
    ['Chrome on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36', c('Chrome', 'Windows', 'desktop')],
    ['Chrome on Android', 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.6778.104 Mobile Safari/537.36', c('Chrome', 'Android', 'mobile')],
    ['Chrome on an Android tablet', 'Mozilla/5.0 (Linux; Android 13; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36', c('Chrome', 'Android', 'tablet')],
    ['Chrome on iOS', 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/122.0.6261.89 Mobile/15E148 Safari/604.1', c('Chrome', 'iOS', 'mobile')],
    ['Edge on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0', c('Edge', 'Windows', 'desktop')],
    ['Safari on macOS', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15', c('Safari', 'macOS', 'desktop')],
    ['Safari on iPhone', 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1', c('Safari', 'iOS', 'mobile')],
    ['Safari on iPad', 'Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1', c('Safari', 'iOS', 'tablet')],
    ['Firefox on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', c('Firefox', 'Windows', 'desktop')],
    ['Firefox on Linux', 'Mozilla/5.0 (X11; Linux x86_64; rv:123.0) Gecko/20100101 Firefox/123.0', c('Firefox', 'Linux', 'desktop')],
    ['Samsung Internet', 'Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36', c('Samsung Internet', 'Android', 'mobile')],
    ['Opera on Windows', 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36 OPR/108.0.0.0', c('Opera', 'Windows', 'desktop')],
    ['Chrome on a Chromebook', 'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0.0.0 Safari/537.36', c('Chrome', 'Chrome OS', 'desktop')],
    // Nothing to go on.
    ['an empty UA', '', c('Other', 'unknown', 'unknown')],
    ['blanks', '   ', c('Other', 'unknown', 'unknown')],
    ['a bare Mozilla/5.0 (Apple MPP, never counted)', 'Mozilla/5.0', c('Other', 'unknown', 'unknown')],
    ['an unknown token', 'SomeMailer/3.2', c('Other', 'unknown', 'unknown')],
    ['a crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', c('Other', 'unknown', 'unknown')],
    ['an HTTP library', 'python-requests/2.31.0', c('Other', 'unknown', 'unknown')],
  ])('%s', (_name, ua, expected) => {
    expect(clientOf(ua)).toEqual(expected);
  });

  it('does not take an in-app browser for Apple Mail', () => {
    const facebook = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/450.0.0.38.108]';
    expect(clientOf(facebook).client).not.toBe('Apple Mail');
  });

  it('does not take Word or Office link discovery for Outlook', () => {
    expect(clientOf('Microsoft Office/16.0 (Windows NT 10.0; Microsoft Word 16.0.17328; Pro)').client).toBe('Other');
    expect(clientOf('Microsoft Office Existence Discovery').client).toBe('Other');
  });

  it('never makes a client name out of the UA text', () => {
    for (const ua of ['Mozilla', 'Something/1.0 (Whatever)', 'x'.repeat(5_000), 'Mozilla/5.0 (compatible; ' + 'a'.repeat(3_000)]) {
      expect(clientOf(ua).client).toBe('Other');
    }
  });

  it('answers a repeated UA from its cache, and keeps answering past the cache size', () => {
    const ua = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko)';
    expect(clientOf(ua)).toBe(clientOf(ua));
    for (let i = 0; i < 6_000; i++) clientOf(`Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:${i}.0) Gecko/20100101 Firefox/${i}.0`);
    expect(clientOf(ua)).toEqual(c('Apple Mail', 'macOS', 'desktop'));
    expect(() => Object.assign(clientOf(ua), { client: 'changed' })).toThrow();
  });
});
