// One line of a recorded-hits file (JSONL) for `sendtrail tracking replay`, checked field by field.
import type { Hit } from '../hit.ts';

/** A recorded hit; times are seconds after the email was sent. */
export type RecordedHit = {
  message: string;
  hit: Omit<Hit, 'at' | 'emailId'>;
  secondsAfterSend: number;
  /** Optional: when the email was delivered, so the classifier can measure from delivery. */
  deliveredSecondsAfterSend?: number;
};

export type LineResult = { ok: true; value: RecordedHit } | { ok: false; problem: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses one JSON line; unknown fields are ignored, wrong ones are named in `problem`. */
export function parseHitLine(line: string): LineResult {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { ok: false, problem: `not JSON (${(err as Error).message})` };
  }
  if (!isObject(v)) return { ok: false, problem: 'not a JSON object' };
  const bad = (problem: string): LineResult => ({ ok: false, problem });
  if (v.kind !== 'open' && v.kind !== 'click') return bad('"kind" must be "open" or "click"');
  if (typeof v.message !== 'string' && typeof v.message !== 'number') return bad('"message" must be a string (the email id)');
  if (typeof v.seconds_after_send !== 'number' || !Number.isFinite(v.seconds_after_send)) return bad('"seconds_after_send" must be a number');
  for (const f of ['ua', 'ip', 'method', 'url', 'purpose'] as const) {
    if (v[f] !== undefined && v[f] !== null && typeof v[f] !== 'string') return bad(`"${f}" must be a string`);
  }
  if (v.kind === 'click' && (typeof v.url !== 'string' || v.url === '')) return bad('a click needs its destination "url"');
  if (v.link_index !== undefined && !Number.isInteger(v.link_index)) return bad('"link_index" must be an integer');
  const delivered = v.delivered_seconds_after_send;
  if (delivered !== undefined && (typeof delivered !== 'number' || !Number.isFinite(delivered))) {
    return bad('"delivered_seconds_after_send" must be a number');
  }
  const str = (x: unknown) => (typeof x === 'string' ? x : undefined);
  const hit: RecordedHit['hit'] = {
    kind: v.kind,
    ua: str(v.ua) ?? '', // a request without a User-Agent header
    ip: str(v.ip) ?? '',
    method: str(v.method) || 'GET',
    ...(v.kind === 'click' ? { url: v.url as string } : {}),
    ...(typeof v.link_index === 'number' ? { linkIndex: v.link_index } : {}),
    ...(str(v.purpose) ? { purpose: str(v.purpose) } : {}),
  };
  return {
    ok: true,
    value: { message: String(v.message), hit, secondsAfterSend: v.seconds_after_send, ...(typeof delivered === 'number' ? { deliveredSecondsAfterSend: delivered } : {}) },
  };
}
