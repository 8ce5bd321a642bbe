// A hit as the recorder keeps it: the endpoint's Hit plus the id that makes its recording idempotent.
import type { Hit } from './hit.ts';

export type RecordedHit = Hit & { id: string };

type HitFields = Pick<Hit, 'url' | 'linkIndex' | 'ua' | 'ip' | 'method' | 'purpose'>;

/** A hit's request fields read back from untrusted JSON: a spool line or an event's stored metadata. */
export function hitFieldsFrom(o: Record<string, unknown>): HitFields {
  return {
    url: typeof o.url === 'string' ? o.url : undefined,
    linkIndex: typeof o.linkIndex === 'number' ? o.linkIndex : undefined,
    ua: String(o.ua ?? ''),
    ip: String(o.ip ?? ''),
    method: String(o.method ?? 'GET'),
    purpose: typeof o.purpose === 'string' ? o.purpose : undefined,
  };
}

/** One spool line / one JSON form; `at` as ISO text. */
export function hitToJson(hit: RecordedHit): string {
  return JSON.stringify({ ...hit, at: hit.at.toISOString() });
}

// Every hit object is built with all of its fields, in this order, even when undefined (no
// spreads): V8 then gives all hits one hidden class, and the classifier's loops over histories stay
// monomorphic. (Profiled in bench:track: hits of varying shapes made property lookups the commit
// thread's largest cost.) request-hit.ts and storedHitOf follow the same rule.
export function hitFromJson(line: string): RecordedHit | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (typeof o.id !== 'string' || typeof o.emailId !== 'string' || (o.kind !== 'open' && o.kind !== 'click')) return undefined;
    const at = new Date(String(o.at));
    if (Number.isNaN(at.getTime())) return undefined;
    const f = hitFieldsFrom(o);
    return {
      id: o.id,
      kind: o.kind,
      emailId: o.emailId,
      url: f.url,
      linkIndex: f.linkIndex,
      ua: f.ua,
      ip: f.ip,
      method: f.method,
      purpose: f.purpose,
      at,
    };
  } catch {
    // A line torn by a crash mid-write: the hit was never acknowledged (its fsync did not finish).
    return undefined;
  }
}
