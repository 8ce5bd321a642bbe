// A sending campaign's pace, from its own counters sampled as they change: emails out per second
// over the last moments, and the time the rest will take at that pace.

/** How far back the pace looks: long enough to smooth bursts, short enough to follow a change. */
export const RATE_WINDOW_MS = 30_000;

export type Sample = { at: number; done: number };

/** Emails that have left the queue: handed to a server, or ended without one. */
export function doneOf(counts: Record<string, number>): number {
  const n = (k: string) => counts[k] ?? 0;
  return n('sent') + n('delivered') + n('bounced') + n('rejected') + n('failed') + n('cancelled');
}

/** Emails still to go (the API counts recipients not yet made emails as queued). */
export function leftOf(counts: Record<string, number>): number {
  const n = (k: string) => counts[k] ?? 0;
  return n('queued') + n('scheduled') + n('delivery_delayed');
}

/** Keeps the samples inside the window (and one before it, so the window has a start). */
export function addSample(samples: readonly Sample[], next: Sample, windowMs = RATE_WINDOW_MS): Sample[] {
  const all = [...samples.filter((s) => s.at < next.at), next];
  const start = all.findLastIndex((s) => s.at <= next.at - windowMs);
  return all.slice(Math.max(0, start));
}

/** Emails per second over the samples, or null while there is no movement to measure. */
export function sendRate(samples: readonly Sample[]): number | null {
  if (samples.length < 2) return null;
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const seconds = (last.at - first.at) / 1000;
  if (seconds <= 0 || last.done <= first.done) return null;
  return (last.done - first.done) / seconds;
}

/** Seconds left at the current pace; null when unknown, 0 when nothing is left. */
export function secondsLeft(left: number, rate: number | null): number | null {
  if (left === 0) return 0;
  if (!rate) return null;
  return Math.ceil(left / rate);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}

export function formatRatePerSecond(rate: number | null): string {
  if (rate === null) return '–';
  return rate >= 10 ? `${Math.round(rate)}/s` : `${rate.toFixed(1)}/s`;
}
