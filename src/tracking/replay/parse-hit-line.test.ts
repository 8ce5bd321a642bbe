// Lines of a recorded-hits file: what is accepted, what is refused and how the refusal reads.
import { describe, expect, it } from 'vitest';
import { parseHitLine } from './parse-hit-line.ts';

const base = { kind: 'click', message: 'm1', url: 'https://shop.example/a', ua: 'curl/8.5.0', ip: '192.0.2.1', method: 'GET', seconds_after_send: 12.5 };

describe('parseHitLine', () => {
  it('reads a click with optional fields and ignores unknown ones', () => {
    const r = parseHitLine(JSON.stringify({ ...base, link_index: 2, purpose: 'prefetch', delivered_seconds_after_send: 3, label: 'x', nested: { a: 1 } }));
    expect(r).toEqual({
      ok: true,
      value: {
        message: 'm1', secondsAfterSend: 12.5, deliveredSecondsAfterSend: 3,
        hit: { kind: 'click', url: 'https://shop.example/a', linkIndex: 2, purpose: 'prefetch', ua: 'curl/8.5.0', ip: '192.0.2.1', method: 'GET' },
      },
    });
  });

  it('takes a numeric message id as text, a missing user agent as none and a missing method as GET', () => {
    const r = parseHitLine(JSON.stringify({ kind: 'open', message: 42, ip: '192.0.2.1', seconds_after_send: 60 }));
    expect(r).toEqual({ ok: true, value: { message: '42', secondsAfterSend: 60, hit: { kind: 'open', ua: '', ip: '192.0.2.1', method: 'GET' } } });
  });

  it.each([
    ['[1,2]', 'not a JSON object'],
    ['{"kind": "open"', 'not JSON'],
    [JSON.stringify({ ...base, kind: 'view' }), '"kind" must be "open" or "click"'],
    [JSON.stringify({ ...base, message: null }), '"message" must be a string'],
    [JSON.stringify({ ...base, seconds_after_send: '12' }), '"seconds_after_send" must be a number'],
    [JSON.stringify({ ...base, ua: 5 }), '"ua" must be a string'],
    [JSON.stringify({ ...base, url: undefined }), 'a click needs its destination "url"'],
    [JSON.stringify({ ...base, link_index: 1.5 }), '"link_index" must be an integer'],
    [JSON.stringify({ ...base, delivered_seconds_after_send: 'soon' }), '"delivered_seconds_after_send" must be a number'],
  ])('refuses %s', (line, problem) => {
    const r = parseHitLine(line);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problem).toContain(problem);
  });
});
