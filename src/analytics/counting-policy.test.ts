// The counting policy, stated as tables: an email's events in, what it adds to the rollups out.
import { describe, expect, it } from 'vitest';
import { hourOf, tallyEmail, type PolicyEvent } from './counting-policy.ts';

const T0 = Date.parse('2026-03-02T10:15:00Z');
const H = 3_600_000;
let nextId = 1;
const ev = (event_type: string, minutes: number, metadata: Record<string, unknown> = {}): PolicyEvent =>
  ({ id: nextId++, event_type, metadata, created_at: new Date(T0 + minutes * 60_000) });
const open = (minutes: number, m: Record<string, unknown> = {}) => ev('open', minutes, { counted: true, ua: 'UA', ...m });
const click = (minutes: number, m: Record<string, unknown> = {}) => ev('click', minutes, { counted: true, ua: 'UA', link_index: 0, url: 'https://x.example/a', ...m });

/** The hourly counters of a tally, as {counter: [[hour offset from T0's hour, n], ...]}. */
function hourly(events: PolicyEvent[]): Record<string, Array<[number, number]>> {
  const out: Record<string, Array<[number, number]>> = {};
  for (const [key, n] of tallyEmail(events).counts) {
    const [table, hour, counter] = key.split('|');
    if (table !== 'h') continue;
    (out[counter!] ??= []).push([(Number(hour) - hourOf(new Date(T0))) / H, n]);
  }
  for (const list of Object.values(out)) list.sort((a, b) => a[0] - b[0]);
  return out;
}

const only = (events: PolicyEvent[], keys: string[]) => Object.fromEntries(Object.entries(hourly(events)).filter(([k]) => keys.includes(k)));

describe('counting policy', () => {
  it.each<[string, PolicyEvent[], Record<string, Array<[number, number]>>]>([
    ['an email counts once as accepted, sent and delivered, in the hour of each',
      [ev('queued', 0), ev('sent', 50), ev('delivered', 51)],
      { accepted: [[0, 1]], sent: [[1, 1]], delivered: [[1, 1]] }],
    ['a retried email is sent once, and each deferral counts',
      [ev('queued', 0), ev('delivery_delayed', 1), ev('delivery_delayed', 70), ev('sent', 130)],
      { accepted: [[0, 1]], deferrals: [[0, 1], [1, 1]], sent: [[2, 1]] }],
    ['a bounce at the SMTP transaction counts as sent and bounced, by its type',
      [ev('queued', 0), ev('bounced', 1, { bounce_type: 'hard' })],
      { accepted: [[0, 1]], sent: [[0, 1]], hard_bounced: [[0, 1]] }],
    ['a soft bounce is written only when retries run out: it is final, and soft',
      [ev('queued', 0), ev('delivery_delayed', 1), ev('bounced', 200, { bounce_type: 'soft', reason: 'expired' })],
      { accepted: [[0, 1]], deferrals: [[0, 1]], sent: [[3, 1]], soft_bounced: [[3, 1]] }],
    ['a hard bounce report after a soft one makes the email a hard bounce, counted once at the first',
      [ev('sent', 0), ev('bounced', 5, { bounce_type: 'soft' }), ev('bounced', 90, { bounce_type: 'hard' })],
      { sent: [[0, 1]], hard_bounced: [[0, 1]] }],
    ['a scheduled email that is cancelled',
      [ev('scheduled', 0), ev('cancelled', 70)],
      { accepted: [[0, 1]], cancelled: [[1, 1]] }],
    ['a suppressed recipient is rejected',
      [ev('rejected', 0, { reason: 'suppressed' })],
      { rejected: [[0, 1]] }],
  ])('%s', (_name, events, expected) => {
    expect(only(events, ['accepted', 'sent', 'delivered', 'deferrals', 'hard_bounced', 'soft_bounced', 'rejected', 'failed', 'cancelled'])).toEqual(expected);
  });

  it.each<[string, PolicyEvent[], Record<string, Array<[number, number]>>]>([
    ['every counted open counts; the person counts once, at the first',
      [open(10), open(80), open(81)],
      { opens: [[0, 1], [1, 2]], openers: [[0, 1]] }],
    ['an open not counted is machine traffic, and makes no opener',
      [ev('open', 1, { counted: false, why: 'apple_mpp' }), open(130)],
      { machine_opens: [[0, 1]], opens: [[2, 1]], openers: [[2, 1]] }],
    ['a back-filled open counts as an open and an opener, and is also counted apart',
      [click(20), ev('open', 20, { counted: true, backfilled: true })],
      { opens: [[0, 1]], openers: [[0, 1]], backfilled_opens: [[0, 1]], clicks: [[0, 1]], clickers: [[0, 1]] }],
    ['a back-filled open withdrawn (its click was a scanner\'s) is nothing: neither an open nor machine traffic',
      [ev('click', 20, { counted: false, why: 'burst', link_index: 0 }), ev('open', 20, { counted: false, why: 'burst', backfilled: true })],
      { machine_clicks: [[0, 1]] }],
    ['a back-filled open replaced by the person\'s real open (images loaded later) is one open; the opener dates from the click',
      [click(20), ev('open', 20, { counted: false, why: 'backfill_replaced', backfilled: true }), open(150)],
      { opens: [[2, 1]], openers: [[0, 1]], clicks: [[0, 1]], clickers: [[0, 1]] }],
    ['a person\'s repeat within the coalescing window is theirs: counted apart, neither an open nor machine traffic',
      [open(10), ev('open', 10.5, { counted: false, why: 'coalesced' }), click(11), ev('click', 11.2, { counted: false, why: 'coalesced', link_index: 0 })],
      { opens: [[0, 1]], openers: [[0, 1]], coalesced_opens: [[0, 1]], clicks: [[0, 1]], clickers: [[0, 1]], coalesced_clicks: [[0, 1]] }],
    ['clicks not counted are machine traffic',
      [ev('click', 0, { counted: false, why: 'scanner', link_index: 0 })],
      { machine_clicks: [[0, 1]] }],
    ['an auto-reply is not a reply, and its sender is no replier',
      [ev('reply', 5, { auto: true }), ev('reply', 65, {})],
      { auto_replies: [[0, 1]], replies: [[1, 1]], repliers: [[1, 1]] }],
    ['two complaints and two unsubscribes are one complainer and one unsubscriber',
      [ev('complaint', 0), ev('complaint', 60), ev('unsubscribe', 61, { method: 'POST' }), ev('unsubscribe', 62, { method: 'mailto' })],
      { complainers: [[0, 1]], unsubscribers: [[1, 1]] }],
  ])('%s', (_name, events, expected) => {
    expect(only(events, ['opens', 'openers', 'backfilled_opens', 'machine_opens', 'coalesced_opens', 'clicks', 'clickers', 'machine_clicks', 'coalesced_clicks', 'replies', 'repliers', 'auto_replies', 'complainers', 'unsubscribers'])).toEqual(expected);
  });

  it('a reclassification supersedes a verdict: the first open uncounted moves the opener to the next counted one', () => {
    const first = open(5);
    const later = open(125);
    const events = [first, later, ev('reclassified', 200, { supersedes: first.id, kind: 'open', counted: false, why: 'scanner' })];
    expect(only(events, ['opens', 'openers', 'machine_opens'])).toEqual({ opens: [[2, 1]], openers: [[2, 1]], machine_opens: [[0, 1]] });
    const counts = tallyEmail(events).counts;
    expect(counts.get(`m|${hourOf(first.created_at)}|open|scanner`)).toBe(1);
  });

  it('a back-filled open counted when stored and replaced later by a reclassification adds one open, not two', () => {
    const c = click(20);
    const backfill = ev('open', 20, { counted: true, backfilled: true });
    const real = open(150);
    const before = only([c, backfill], ['opens', 'openers', 'backfilled_opens']);
    expect(before).toEqual({ opens: [[0, 1]], openers: [[0, 1]], backfilled_opens: [[0, 1]] });
    const after = [c, backfill, real, ev('reclassified', 150, { supersedes: backfill.id, kind: 'open', counted: false, why: 'backfill_replaced' })];
    expect(only(after, ['opens', 'openers', 'backfilled_opens', 'machine_opens'])).toEqual({ opens: [[2, 1]], openers: [[0, 1]] });
  });

  it('of two reclassifications of a hit, the later one is in force', () => {
    const c = click(5);
    const events = [
      c,
      ev('reclassified', 10, { supersedes: c.id, kind: 'click', counted: false, why: 'burst' }),
      ev('reclassified', 20, { supersedes: c.id, kind: 'click', counted: true }),
    ];
    expect(only(events, ['clicks', 'clickers', 'machine_clicks'])).toEqual({ clicks: [[0, 1]], clickers: [[0, 1]] });
  });

  it('counts clicks per link (total and people) and counted hits by user agent; a back-filled open has no client', () => {
    const { counts } = tallyEmail([
      click(1, { link_index: 0, url: 'https://x.example/a', ua: 'Chrome' }),
      click(3, { link_index: 0, url: 'https://x.example/a', ua: 'Chrome' }),
      click(4, { link_index: 2, url: 'https://x.example/c', ua: 'Chrome' }),
      ev('click', 5, { counted: false, why: 'scanner', link_index: 1, url: 'https://x.example/b' }),
      ev('open', 1, { counted: true, backfilled: true }),
    ]);
    const day = new Date(T0).toISOString().slice(0, 10);
    expect(Object.fromEntries([...counts].filter(([k]) => k.startsWith('l|') || k.startsWith('c|')))).toEqual({
      'l|0|clicks': 2, 'l|0|clickers': 1, 'l|2|clicks': 1, 'l|2|clickers': 1,
      [`c|${day}|click|Chrome`]: 3,
    });
    expect(tallyEmail([click(1, { link_index: 2, url: 'https://x.example/c' })]).urls.get(2)).toBe('https://x.example/c');
  });
});
