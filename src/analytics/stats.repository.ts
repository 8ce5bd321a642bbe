// Reading the rollups (migrations 014 and 016), summed in SQL: one indexed range per statement, on
// the primary key (project_id, tag, hour ...) or, for one campaign, on (campaign_id, tag, hour), and
// only the sums come back (a row per bucket and group), never the rollup rows themselves.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../store/database.ts';
import { SUMMED_COUNTERS } from './stats-aggregate.ts';
import type { Granularity } from './stats-period.ts';

/** Which rollup rows a sum reads. */
export type StatsScope = {
  projectId: string;
  campaignId?: string;
  /** One tag's emails; absent: every email, each once (the rows of tag ''). */
  tag?: string;
  provider?: string;
  sendingDomain?: string;
  /** Rollup hours [start, end); absent: all of them. */
  hours?: { start: Date; end: Date };
};

export const DIMENSIONS = ['campaign', 'tag', 'provider', 'sending_domain'] as const;
export type Dimension = (typeof DIMENSIONS)[number];
// Column names are ours, never input.
const COLUMN: Record<Dimension, RawBuilder<unknown>> = {
  campaign: sql.raw('campaign_id::text'),
  tag: sql.raw('tag'),
  provider: sql.raw('provider'),
  sending_domain: sql.raw('sending_domain'),
};

export type SumOptions = {
  by?: Dimension;
  /** With `by`: the keys kept apart; every other key's rows are summed under the key null. */
  keep?: readonly string[];
  /** Sums per bucket; absent: over the whole scope. */
  buckets?: { granularity: Granularity; tz: string };
};

/** The sums of a key and bucket: `sums` holds [counter index, sum] pairs (indexes into SUMMED_COUNTERS), nonzero sums only. */
export type CounterRow = { key: string | null; bucket: number | null; sums: number[] };
export type MachineRow = { key: string | null; bucket: number | null; kind: string; why: string; n: number };

// sum(bigint) accumulates in numeric, sum(integer) in bigint, a third cheaper for a month of hours:
// a row's counter (one hour, campaign, tag, domain and provider) stays far below 2^31.
const SUMS = sql.raw(SUMMED_COUNTERS.map((c) => `sum(${c}::int4) AS ${c}`).join(', '));
const COUNTERS = sql.raw(SUMMED_COUNTERS.join(', '));
const EPOCH_MS = sql.raw('(extract(epoch FROM b) * 1000)::int8');
// Results come back as one JSON text: thousands of rows of twenty numbers cost PGlite two to three
// times more to hand over as rows. Each row of sums is [key, bucket ms, i, sum, i, sum ...] with
// the counters' positions in SUMMED_COUNTERS, zeros left out: most counters of an hour are zero,
// and turning numbers into text is what these statements spend most on, on PostgreSQL too.
const NONZERO_SUMS = sql.raw(SUMMED_COUNTERS.map((c, i) => `CASE WHEN ${c} <> 0 THEN '${i},' || ${c} END`).join(', '));
const jsonRows = (row: RawBuilder<unknown>, grouped: RawBuilder<unknown>) =>
  sql<{ rows: string }>`SELECT '[' || coalesce(string_agg(${row}, ','), '') || ']' AS rows FROM (${grouped}) g`;
const KEY_AND_BUCKET = sql`coalesce(to_json(key)::text, 'null'), coalesce(${EPOCH_MS}::text, 'null')`;

export async function sumCounters(db: Kysely<Database>, scope: StatsScope, o: SumOptions = {}): Promise<CounterRow[]> {
  const { rows } = await countersStatement(scope, o).execute(db);
  return (JSON.parse(rows[0]!.rows) as Array<[string | null, number | null, ...number[]]>).map(([key, bucket, ...sums]) => ({ key, bucket, sums }));
}

/** The statement of sumCounters, for the test that reads its plan. */
export function countersStatement(scope: StatsScope, o: SumOptions = {}) {
  const rows = sql`SELECT ${keyOf(o)} AS key, ${bucketOf(o)} AS b, ${COUNTERS} FROM ${countersTable(scope, o.by)} WHERE ${where(scope, o.by)}`;
  return jsonRows(
    sql`'[' || concat_ws(',', ${KEY_AND_BUCKET}, ${NONZERO_SUMS}) || ']'`,
    // Hours by provider of the project-wide rollups are the rows themselves: nothing to sum.
    isRowGrain(scope, o) ? rows : sql`SELECT key, b, ${SUMS} FROM (${rows}) r GROUP BY key, b`,
  );
}

/** Whether each row of the statement's range is already one key and bucket (one per hour and provider, tag given). */
const isRowGrain = (scope: StatsScope, o: SumOptions) =>
  projectWide(scope, o.by) && o.by === 'provider' && !o.keep && o.buckets?.granularity === 'hour';

/** Opens and clicks not counted, by kind and the classifier's why. */
export async function sumMachine(db: Kysely<Database>, scope: StatsScope, o: SumOptions = {}): Promise<MachineRow[]> {
  const { rows } = await machineStatement(scope, o).execute(db);
  return (JSON.parse(rows[0]!.rows) as Array<[string | null, number | null, string, string, number]>).map(([key, bucket, kind, why, n]) => ({ key, bucket, kind, why, n }));
}

/** The statement of sumMachine, for the test that reads its plan. */
export function machineStatement(scope: StatsScope, o: SumOptions = {}) {
  return jsonRows(
    sql`'[' || concat_ws(',', ${KEY_AND_BUCKET}, to_json(kind)::text, to_json(why)::text, n) || ']'`,
    sql`SELECT key, b, kind, why, sum(n)::int8 AS n
      FROM (SELECT ${keyOf(o)} AS key, ${bucketOf(o)} AS b, kind, why, n FROM ${machineTable(scope, o.by)} WHERE ${where(scope, o.by)}) r
      GROUP BY key, b, kind, why`,
  );
}

/**
 * The keys of `by` with the most emails sent in the scope (then accepted), at most `limit`, and
 * how many keys there are. Ties go by key, so the same question keeps the same groups apart.
 */
export async function topKeys(db: Kysely<Database>, scope: StatsScope, by: Dimension, limit: number): Promise<{ keys: string[]; count: number }> {
  const { rows } = await sql<{ key: string; count: number }>`
    SELECT key, (count(*) OVER ())::float8 AS count
    FROM (SELECT ${COLUMN[by]} AS key, sent, accepted FROM ${countersTable(scope, by)} WHERE ${where(scope, by)}) r
    GROUP BY key ORDER BY sum(sent) DESC, sum(accepted) DESC, key LIMIT ${limit}
  `.execute(db);
  return { keys: rows.map((r) => r.key), count: Number(rows[0]?.count ?? 0) };
}

export type ClientRow = { kind: string; client: string; os: string; device: string; n: number };

/** A campaign's counted opens and clicks by mail app or browser, OS and device, most first. */
export async function sumClients(db: Kysely<Database>, projectId: string, campaignId: string): Promise<ClientRow[]> {
  const { rows } = await sql<ClientRow>`
    SELECT kind, client, os, device, sum(n)::float8 AS n FROM stats_clients
    WHERE campaign_id = ${campaignId} AND project_id = ${projectId}
    GROUP BY kind, client, os, device
    HAVING sum(n) <> 0
    ORDER BY n DESC, client, os, device
  `.execute(db);
  return rows;
}

export type LinkRow = { link_index: number; url: string; clicks: number; clickers: number };

/** A campaign's links with their counted clicks and clickers, most clicked first. */
export async function readLinks(db: Kysely<Database>, projectId: string, campaignId: string): Promise<LinkRow[]> {
  const { rows } = await sql<LinkRow>`
    SELECT link_index, url, clicks::float8 AS clicks, clickers::float8 AS clickers FROM stats_links
    WHERE campaign_id = ${campaignId} AND project_id = ${projectId}
    ORDER BY clicks DESC, link_index
  `.execute(db);
  return rows;
}

/**
 * A read that names no campaign and no sending domain (as filter or group) reads the project-wide
 * rollups (migration 016): the same sums with campaigns and domains already added up.
 */
const projectWide = (s: StatsScope, by: Dimension | undefined) =>
  s.campaignId === undefined && s.sendingDomain === undefined && by !== 'campaign' && by !== 'sending_domain';
// Table names are ours, never input.
const countersTable = (s: StatsScope, by: Dimension | undefined) => sql.raw(projectWide(s, by) ? 'stats_project_hourly' : 'stats_hourly');
const machineTable = (s: StatsScope, by: Dimension | undefined) => sql.raw(projectWide(s, by) ? 'stats_machine_project_hourly' : 'stats_machine_hourly');

function where(s: StatsScope, by: Dimension | undefined): RawBuilder<unknown> {
  // Tag '' counts every email once; each tag's own rows count its emails, so grouping by tag
  // reads those (an email with two tags is in two groups, one with none in no group).
  const tag = s.tag !== undefined ? sql`tag = ${s.tag}` : by === 'tag' ? sql`tag <> ''` : sql`tag = ''`;
  const conditions = [sql`project_id = ${s.projectId}`, tag];
  if (s.hours) conditions.push(sql`hour >= ${s.hours.start}`, sql`hour < ${s.hours.end}`);
  if (s.campaignId !== undefined) conditions.push(sql`campaign_id = ${s.campaignId}`);
  if (s.provider !== undefined) conditions.push(sql`provider = ${s.provider}`);
  if (s.sendingDomain !== undefined) conditions.push(sql`sending_domain = ${s.sendingDomain}`);
  return sql.join(conditions, sql` AND `);
}

function keyOf(o: SumOptions): RawBuilder<unknown> {
  if (!o.by) return sql`NULL::text`;
  const column = COLUMN[o.by];
  if (!o.keep) return column;
  if (o.keep.length === 0) return sql`NULL::text`;
  return sql`CASE WHEN ${column} IN (${sql.join(o.keep)}) THEN ${column} END`;
}

// A day is cut at local midnight: each UTC hour goes to the local day its start falls in.
function bucketOf(o: SumOptions): RawBuilder<unknown> {
  if (!o.buckets) return sql`NULL::timestamptz`;
  return o.buckets.granularity === 'hour' ? sql`hour` : sql`date_trunc('day', hour, ${o.buckets.tz})`;
}
