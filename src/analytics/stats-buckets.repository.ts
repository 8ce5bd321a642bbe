// The buckets of a period, listed by the database: hours are UTC hours; days start at local
// midnight in the period's time zone, found with the same AT TIME ZONE reading that assigns each
// rollup hour to its day (stats.repository.ts), so a bucket and its rows always agree, across
// daylight-saving changes too.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { tooManyBuckets, unknownTimeZone, type Period } from './stats-period.ts';

export type Buckets = {
  /** Each bucket's start, epoch ms. */
  starts: number[];
  /** The time zone's offset at each start, minutes east of UTC (for the start's label). */
  offsets: number[];
  /** The end of the last bucket, epoch ms: the period covers [starts[0], end). */
  end: number;
  endOffset: number;
};

const HOUR_MS = 3_600_000;

export async function listBuckets(db: Kysely<Database>, p: Period, maxBuckets: number): Promise<Buckets> {
  const tz = p.tz;
  // The last row is the end of the last bucket, not a bucket.
  const series = p.granularity === 'hour'
    ? sql`SELECT h AS s FROM generate_series(${new Date(floorHour(p.from.getTime()))}::timestamptz, ${new Date(floorHour(p.to.getTime() - 1) + HOUR_MS)}::timestamptz, interval '1 hour') h`
    : sql`SELECT d AT TIME ZONE ${tz} AS s FROM generate_series(
        date_trunc('day', ${p.from}::timestamptz AT TIME ZONE ${tz}),
        date_trunc('day', (${p.to}::timestamptz - interval '1 millisecond') AT TIME ZONE ${tz}) + interval '1 day',
        interval '1 day') d`;
  let rows: Array<{ start: number; offset: number }>;
  try {
    // One JSON value rather than a row per bucket: cheaper for PGlite to hand over.
    const { rows: [answer] } = await sql<{ buckets: string }>`
      SELECT json_agg(json_build_array(
        (extract(epoch FROM s) * 1000)::int8,
        (extract(epoch FROM (s AT TIME ZONE ${tz}) - (s AT TIME ZONE 'UTC')) / 60)::float8
      ))::text AS buckets
      FROM (${series}) b
    `.execute(db);
    rows = (JSON.parse(answer!.buckets) as Array<[number, number]>).map(([start, offset]) => ({ start, offset })).sort((a, b) => a.start - b.start);
  } catch (err) {
    if (isUnknownTimeZone(err)) throw unknownTimeZone(tz);
    throw err;
  }
  const buckets = rows.slice(0, -1);
  if (buckets.length > maxBuckets) throw tooManyBuckets(buckets.length, p.granularity, maxBuckets);
  // Whole minutes: a few zones had offsets in seconds before 1972.
  const offset = (r: { offset: number }) => Math.round(Number(r.offset));
  const last = rows.at(-1)!;
  return { starts: buckets.map((r) => Number(r.start)), offsets: buckets.map(offset), end: Number(last.start), endOffset: offset(last) };
}

const floorHour = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;

// A name Intl knows and the database's zone data does not (either may be older): refused as input.
function isUnknownTimeZone(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return e?.code === '22023' && /time zone/i.test(e.message ?? '');
}

/** A bucket's start as an ISO 8601 timestamp at the time zone's offset: 2025-03-09T00:00:00-05:00. */
export function startLabel(ms: number, offsetMinutes: number): string {
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${local}Z`;
  const abs = Math.abs(offsetMinutes);
  return `${local}${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
