// The period and time zone every screen reads from the URL (so a view can be shared): validated
// search params, and the instants they stand for in the viewer's time zone.
export const PRESETS = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;
export type Preset = keyof typeof PRESETS;
export type PeriodChoice = Preset | 'custom';
export const DEFAULT_PRESET: Preset = '7d';

/** The top bar's pickers: the period of the stats; the time zone days, hours and times are read in. */
export type Picker = 'period' | 'tz';

export type PeriodSearch = { period?: PeriodChoice; from?: string; to?: string; tz?: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isDay = (v: unknown): v is string => typeof v === 'string' && DAY.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

export function isTimeZone(tz: unknown): tz is string {
  if (typeof tz !== 'string' || tz.length > 64) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Anything the URL holds becomes a valid search, or loses the part that is not. */
export function validatePeriodSearch(raw: Record<string, unknown>): PeriodSearch {
  const out: PeriodSearch = {};
  if (raw.period === 'custom' && isDay(raw.from) && isDay(raw.to) && raw.from <= raw.to) {
    Object.assign(out, { period: 'custom', from: raw.from, to: raw.to });
  } else if (typeof raw.period === 'string' && raw.period in PRESETS) {
    out.period = raw.period as Preset;
  }
  if (isTimeZone(raw.tz)) out.tz = raw.tz;
  return out;
}

export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

export type ResolvedPeriod = {
  from: Date;
  to: Date;
  granularity: 'hour' | 'day';
  tz: string;
  /** "Last 7 days", "1 Mar – 7 Mar 2025". */
  label: string;
  /** What "the previous period" is called beside a change. */
  previousLabel: string;
};

export function resolvePeriod(search: PeriodSearch, now: Date): ResolvedPeriod {
  const tz = search.tz ?? browserTimeZone();
  let from: Date;
  let to: Date;
  let label: string;
  if (search.period === 'custom' && search.from && search.to) {
    from = zonedMidnight(search.from, tz);
    to = zonedMidnight(addDays(search.to, 1), tz);
    label = `${formatDay(search.from)} – ${formatDay(search.to)}`;
  } else {
    const preset = PRESETS[(search.period as Preset | undefined) ?? DEFAULT_PRESET];
    to = now;
    from = new Date(now.getTime() - preset.ms);
    label = preset.label;
  }
  const lengthMs = to.getTime() - from.getTime();
  return { from, to, tz, label, granularity: lengthMs <= 3 * 86_400_000 ? 'hour' : 'day', previousLabel: `the ${describeLength(lengthMs)} before` };
}

/** The period of the same length that ends where this one starts. */
export function previousPeriod(p: ResolvedPeriod): ResolvedPeriod {
  const length = p.to.getTime() - p.from.getTime();
  return { ...p, from: new Date(p.from.getTime() - length), to: p.from };
}

function describeLength(ms: number): string {
  const hours = Math.round(ms / 3600_000);
  if (hours < 72) return `${hours} hours`;
  return `${Math.round(ms / 86_400_000)} days`;
}

/** Midnight of a calendar day in a time zone, as an instant (DST and odd offsets included). */
export function zonedMidnight(day: string, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d);
  let t = wall - offsetMs(wall, tz);
  t = wall - offsetMs(t, tz);
  return new Date(t);
}

/** How far the zone's wall clock is ahead of UTC at an instant. */
function offsetMs(instant: number, tz: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(instant))
      .map((p) => [p.type, Number(p.value)]),
  ) as Record<string, number>;
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(instant / 1000) * 1000;
}

/** Today's date in a time zone, YYYY-MM-DD. */
export function todayIn(tz: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function addDays(day: string, n: number): string {
  const t = Date.parse(`${day}T00:00:00Z`) + n * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function formatDay(day: string): string {
  return new Date(`${day}T00:00:00Z`).toLocaleDateString(undefined, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' });
}
