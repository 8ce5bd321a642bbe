// A sending campaign's pace and time left (web/src/campaigns/progress.ts), and the compose
// preview's template filling (render-preview.ts), as the list and the compose screen show them.
import { describe, expect, it } from 'vitest';
import { addSample, doneOf, formatDuration, leftOf, secondsLeft, sendRate, type Sample } from '../web/src/campaigns/progress.ts';
import { fillTemplate, templateFields } from '../web/src/campaigns/fill-template.ts';

describe('the pace of a sending campaign', () => {
  it('measures emails out per second over the last 30 seconds only', () => {
    let samples: Sample[] = [];
    for (const [at, done] of [[0, 0], [10_000, 100], [20_000, 200], [40_000, 1_200], [50_000, 2_200]] as const) samples = addSample(samples, { at, done });
    // The window starts at the last sample at least 30 s old (20 s): 2,000 emails in 30 s.
    expect(samples.map((s) => s.at)).toEqual([20_000, 40_000, 50_000]);
    expect(sendRate(samples)).toBeCloseTo(2_000 / 30);
  });

  it('knows no pace before two samples apart or while nothing moves, and no time left then', () => {
    expect(sendRate([{ at: 0, done: 5 }])).toBeNull();
    expect(sendRate([{ at: 0, done: 5 }, { at: 5_000, done: 5 }])).toBeNull();
    expect(secondsLeft(100, null)).toBeNull();
    expect(secondsLeft(0, null)).toBe(0);
    expect(secondsLeft(1_000, 30)).toBe(34);
  });

  it('counts emails ended any way as done and the waiting ones as left', () => {
    const counts = { queued: 5, scheduled: 1, delivery_delayed: 2, sent: 3, delivered: 10, bounced: 1, rejected: 1, failed: 0, cancelled: 2, total: 25 };
    expect(doneOf(counts)).toBe(17);
    expect(leftOf(counts)).toBe(8);
  });

  it('says durations as people do', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(2 * 3600 + 5 * 60)).toBe('2 h 5 min');
  });
});

describe('the compose preview', () => {
  const ann = { email: 'ann@example.org', data: { first_name: 'Ann <3' } };
  it('fills fields as the server does, escaping data in HTML, and keeps a field the sample lacks visible', () => {
    expect(fillTemplate('<p>Hi {{ data.first_name }} ({{email}}) {{data.city}}</p>', ann, 'html')).toBe('<p>Hi Ann &lt;3 (ann@example.org) {{data.city}}</p>');
    expect(fillTemplate('Hi {{data.first_name}}', ann, 'text')).toBe('Hi Ann <3');
    expect(fillTemplate('<a href="{{unsubscribe_url}}">x</a>', ann, 'html')).toBe('<a href="#unsubscribe">x</a>');
  });

  it('lists the data fields the templates name, once each', () => {
    expect(templateFields('Hi {{data.first_name}}', '<p>{{data.first_name}} in {{data.city}} {{email}}</p>')).toEqual(['first_name', 'city']);
  });
});
