import { describe, expect, it } from 'vitest';
import { addTracking, type TrackedContent } from './add-tracking.ts';
import { verifyToken } from './tracking-token.ts';
import { isHoneypotLink } from './classify/index.ts';

const SETTINGS = { publicUrl: 'https://t.shop.example', signingKey: 'k', bounceDomain: 'bounces.shop.example' };
const EMAIL = '0190f5a2-7c3e-7b1a-9d2e-0123456789ab';
const content = (over: Partial<TrackedContent> = {}): TrackedContent => ({
  emailId: EMAIL,
  html: '<html><body><a href="https://shop.example/a">A</a><a href="mailto:help@shop.example">help</a></body></html>',
  text: 'Visit https://shop.example/a',
  trackOpens: true,
  trackClicks: true,
  isCampaign: false,
  ...over,
});

const tokensIn = (html: string, path: string) => [...html.matchAll(new RegExp(`https://t\\.shop\\.example${path}([A-Za-z0-9_-]+)`, 'g'))].map((m) => verifyToken(['k'], m[1]!));

describe('addTracking', () => {
  it('links carry signed click tokens with index and destination; the pixel a signed open token; text stays readable', () => {
    const out = addTracking(content(), SETTINGS);
    expect(tokensIn(out.html!, '/t/c/')).toEqual([{ kind: 'click', emailId: EMAIL, linkIndex: 0, url: 'https://shop.example/a' }]);
    expect(tokensIn(out.html!, '/t/o/')).toEqual([{ kind: 'open', emailId: EMAIL }]);
    expect(out.html).toContain('href="mailto:help@shop.example"');
    expect(out.text).toBe('Visit https://shop.example/a');
  });

  it('track_opens and track_clicks false leave the HTML exactly as written', () => {
    const c = content({ trackOpens: false, trackClicks: false });
    expect(addTracking(c, SETTINGS).html).toBe(c.html);
  });

  it('campaign mail gets RFC 8058 List-Unsubscribe (https and mailto) and List-Unsubscribe-Post; transactional mail does not', () => {
    expect(addTracking(content(), SETTINGS).headers).toEqual({});
    const { headers } = addTracking(content({ isCampaign: true }), SETTINGS);
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const [, https, mailto] = /^<(https:\/\/t\.shop\.example\/u\/[A-Za-z0-9_-]+)>, <mailto:unsubscribe\+([A-Za-z0-9_-]+)@bounces\.shop\.example>$/.exec(headers['List-Unsubscribe']!)!;
    expect(verifyToken(['k'], https!.split('/u/')[1]!)).toEqual({ kind: 'unsubscribe', emailId: EMAIL });
    expect(verifyToken(['k'], mailto!)).toEqual({ kind: 'unsubscribe', emailId: EMAIL });
  });

  it('a plain-text-only email gets no pixel and no rewriting', () => {
    const out = addTracking(content({ html: undefined }), SETTINGS);
    expect(out.html).toBeUndefined();
    expect(out.text).toBe('Visit https://shop.example/a');
  });

  it('with the honeypot on, adds one hidden link after the real ones, whose click the classifier knows for the honeypot', () => {
    const out = addTracking(content(), { ...SETTINGS, honeypot: true });
    const clicks = tokensIn(out.html!, '/t/c/');
    expect(clicks).toHaveLength(2);
    const honeypot = clicks[1] as { kind: 'click'; url: string; linkIndex: number };
    expect(honeypot).toMatchObject({ kind: 'click', emailId: EMAIL, linkIndex: 1 });
    expect(isHoneypotLink(honeypot.url, honeypot.linkIndex)).toBe(true);
    expect(isHoneypotLink((clicks[0] as { url: string }).url)).toBe(false);
    // Invisible and unreachable for a person: no text, not displayed, not focusable, hidden from screen readers.
    expect(out.html).toMatch(/<a href="https:\/\/t\.shop\.example\/t\/c\/[A-Za-z0-9_-]+" style="display:none" aria-hidden="true" tabindex="-1"><\/a><img [^>]*\/><\/body>/);
  });

  it('adds no honeypot to mail without tracked links, or with click tracking off', () => {
    const noLinks = addTracking(content({ html: '<p>Your code is 123456</p>' }), { ...SETTINGS, honeypot: true });
    expect(tokensIn(noLinks.html!, '/t/c/')).toEqual([]);
    const untracked = addTracking(content({ trackClicks: false }), { ...SETTINGS, honeypot: true });
    expect(tokensIn(untracked.html!, '/t/c/')).toEqual([]);
  });
});
