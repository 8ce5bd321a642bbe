// A hit as the recorder keeps it: the endpoint's Hit plus the id that makes its recording idempotent.
import type { Hit } from './hit.ts';

export type RecordedHit = Hit & { id: string };

/** One spool line / one JSON form; `at` as ISO text. */
export function hitToJson(hit: RecordedHit): string {
  return JSON.stringify({ ...hit, at: hit.at.toISOString() });
}

export function hitFromJson(line: string): RecordedHit | undefined {
  try {
    const o = JSON.parse(line) as Record<string, unknown>;
    if (typeof o.id !== 'string' || typeof o.emailId !== 'string' || (o.kind !== 'open' && o.kind !== 'click')) return undefined;
    const at = new Date(String(o.at));
    if (Number.isNaN(at.getTime())) return undefined;
    return {
      id: o.id,
      kind: o.kind,
      emailId: o.emailId,
      url: typeof o.url === 'string' ? o.url : undefined,
      linkIndex: typeof o.linkIndex === 'number' ? o.linkIndex : undefined,
      ua: String(o.ua ?? ''),
      ip: String(o.ip ?? ''),
      method: String(o.method ?? 'GET'),
      purpose: typeof o.purpose === 'string' ? o.purpose : undefined,
      at,
    };
  } catch {
    // A line torn by a crash mid-write: the hit was never acknowledged (its fsync did not finish).
    return undefined;
  }
}
