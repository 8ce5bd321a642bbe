// A tracking hit's verdict (counted by a person or not, and why not) and how a later verdict supersedes
// it. The log is append-only: when the classifier changes its mind about a stored open or click (a
// burst shows earlier clicks were a scanner's, `sendtrail tracking reclassify` after a signature
// update), it appends a `reclassified` event naming the hit's event id, and whoever reads the log
// (the recorder's histories, rollups, the live stream) applies the latest one.
import type { NewEvent } from './append-events.ts';

export type HitVerdict = { counted: boolean; why?: string };

/** The metadata of a `reclassified` event. */
export type Reclassification = HitVerdict & { supersedes: number; kind: 'open' | 'click' };

/** The verdict a hit event was stored with: metadata `{counted, why?}`. */
export function storedVerdict(metadata: Record<string, unknown>): HitVerdict {
  const counted = metadata.counted === true;
  return counted ? { counted } : { counted, why: typeof metadata.why === 'string' ? metadata.why : undefined };
}

/** The reclassification a `reclassified` event's metadata carries, or undefined when it is malformed. */
export function reclassificationOf(metadata: Record<string, unknown>): Reclassification | undefined {
  const { supersedes, kind } = metadata;
  if (typeof supersedes !== 'number' || !Number.isSafeInteger(supersedes) || (kind !== 'open' && kind !== 'click')) return undefined;
  return { supersedes, kind, ...storedVerdict(metadata) };
}

/** The event that supersedes the verdict of hit event `hitEventId`. */
export function reclassifiedEvent(
  hit: { eventId: number; projectId: string; emailId: string; kind: 'open' | 'click' },
  verdict: HitVerdict,
): NewEvent {
  const metadata: Record<string, unknown> = { supersedes: hit.eventId, kind: hit.kind, counted: verdict.counted };
  if (!verdict.counted && verdict.why !== undefined) metadata.why = verdict.why;
  return { projectId: hit.projectId, emailId: hit.emailId, type: 'reclassified', metadata };
}

type LogRow = { id: number; event_type: string; metadata: Record<string, unknown> };

/**
 * The verdict in force for each open and click among `events` (one email's, in id order): its own,
 * unless a `reclassified` event supersedes it; of several, the last in id order wins.
 */
export function verdictsInForce(events: readonly LogRow[]): Map<number, HitVerdict> {
  const verdicts = new Map<number, HitVerdict>();
  for (const e of events) {
    if (e.event_type === 'open' || e.event_type === 'click') verdicts.set(e.id, storedVerdict(e.metadata));
  }
  for (const e of events) {
    if (e.event_type !== 'reclassified') continue;
    const r = reclassificationOf(e.metadata);
    // A reclassification of a hit not among `events` (another email's, or one past the reader's
    // cursor) changes nothing here.
    if (r && verdicts.has(r.supersedes)) verdicts.set(r.supersedes, r.counted ? { counted: true } : { counted: false, why: r.why });
  }
  return verdicts;
}
