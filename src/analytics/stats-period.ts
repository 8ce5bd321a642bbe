// The period of a series as a client asks for it (from, to, granularity, tz), checked and given
// its defaults. Which buckets it holds is the database's answer (stats-buckets.repository.ts), so
// that buckets and the rows summed into them follow one reading of the time zone.
import { AppError } from '../shared/app-error.ts';

export const GRANULARITIES = ['hour', 'day'] as const;
export type Granularity = (typeof GRANULARITIES)[number];

export type PeriodInput = { from?: string; to?: string; granularity?: Granularity; tz?: string };
export type Period = { from: Date; to: Date; granularity: Granularity; tz: string };

/** Points in one series: a quarter of hours (about 91 days), or six years of days. */
export const MAX_BUCKETS = 2_200;
/** Points in each series of a grouped answer (up to 21 series): a month of hours, two years of days. */
export const MAX_GROUPED_BUCKETS = 744;
/** A period up to this long is cut in hours by default, a longer one in days. */
export const HOURLY_BY_DEFAULT_MS = 3 * 86_400_000;

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
// IANA names only (Area/Location, Etc/GMT+5, UTC): a POSIX string such as "UTC+5" or "EST5EDT"
// would be read by PostgreSQL with the sign the other way round.
const ZONE_NAME = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/;

/** Where a period starts and ends when the client does not say; the start may depend on the end. */
export type PeriodDefaults = { from: (to: Date) => Date; to: Date };

/**
 * The checked period. The default start gives way when the granularity would cut the period into
 * more than `maxBuckets` (a campaign's whole life, years long): the latest buckets are kept.
 * The exact number of buckets is checked once the database has listed them.
 */
export function resolvePeriod(input: PeriodInput, defaults: PeriodDefaults, maxBuckets = MAX_BUCKETS): Period {
  const tz = timeZoneOf(input.tz);
  const to = input.to === undefined ? defaults.to : timestampOf('to', input.to);
  let from = input.from === undefined ? defaults.from(to) : timestampOf('from', input.from);
  if (input.from === undefined && from >= to) from = new Date(to.getTime() - HOUR_MS);
  if (from >= to) throw new AppError('validation_error', `to (${input.to ?? 'now'}) must be after from (${input.from ?? from.toISOString()})`);
  const granularity = input.granularity ?? (to.getTime() - from.getTime() <= HOURLY_BY_DEFAULT_MS ? 'hour' : 'day');
  const step = granularity === 'hour' ? HOUR_MS : DAY_MS;
  // Whole buckets from the one holding `from` to the one holding `to`: at most span/step + 2
  // (a local day may last 23 hours, twice a year, hence the spare one).
  if (input.from === undefined && (to.getTime() - from.getTime()) / step + 3 > maxBuckets) {
    from = new Date(to.getTime() - (maxBuckets - 3) * step);
  }
  // At least this many: refused before the database is asked to list them.
  const fewest = Math.floor((to.getTime() - from.getTime()) / (granularity === 'hour' ? HOUR_MS : DAY_MS + HOUR_MS));
  if (fewest > maxBuckets) throw tooManyBuckets(fewest, granularity, maxBuckets);
  return { from, to, granularity, tz };
}

export function tooManyBuckets(count: number, granularity: Granularity, maxBuckets: number): AppError {
  const per = granularity === 'hour' ? `about ${Math.floor(maxBuckets / 24)} days of hours` : `about ${Math.floor(maxBuckets / 365)} years of days`;
  const advice = granularity === 'hour' ? 'use granularity=day or a shorter period' : 'use a shorter period';
  return new AppError(
    'validation_error',
    `The period holds about ${count.toLocaleString('en-US')} ${granularity} buckets; at most ${maxBuckets.toLocaleString('en-US')} (${per}): ${advice}`,
  );
}

function timestampOf(name: string, value: string): Date {
  const ms = TIMESTAMP.test(value) ? Date.parse(value) : NaN;
  const year = new Date(ms).getUTCFullYear();
  if (!Number.isFinite(ms) || year < 1970 || year > 9999) {
    throw new AppError('validation_error', `${name} must be an ISO 8601 timestamp with a time zone, such as 2025-03-01T00:00:00Z or 2025-03-01T00:00:00-05:00`);
  }
  return new Date(ms);
}

function timeZoneOf(tz: string | undefined): string {
  if (tz === undefined) return 'UTC';
  if (!ZONE_NAME.test(tz) || !knownToIntl(tz)) throw unknownTimeZone(tz);
  return tz;
}

export const unknownTimeZone = (tz: string) =>
  new AppError('validation_error', `tz must be an IANA time zone name, such as UTC, Europe/Paris or America/New_York; "${tz}" is not one`);

function knownToIntl(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
