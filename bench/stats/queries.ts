// The read side through HTTP: Sendtrail's own server (buildServer) on 127.0.0.1, asked by one
// client with a kept-alive connection, one request at a time. Two bare routes on the same server
// are the floor: a constant {"ok":true}, and the measured endpoint's own response bytes sent as a
// constant (HTTP and the transfer of that many bytes, nothing computed). Every request's database
// time is taken by a Kysely plugin on the server's db (from each query's start to its result; the
// union of those intervals, so queries run side by side count once), and each endpoint's statements
// are explained (EXPLAIN ANALYZE) afterwards.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { CompiledQuery, type Kysely, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { buildServer } from '../../src/http/build-server.ts';
import { createMetrics } from '../../src/metrics/metrics.ts';

type QueryId = PluginTransformQueryArgs['queryId'];
type TimedQuery = { start: number; end: number; node: RootOperationNode; queryId: QueryId };

class QueryTimer implements KyselyPlugin {
  private readonly open = new WeakMap<QueryId, { start: number; node: RootOperationNode }>();
  recorded: TimedQuery[] = [];
  recording = false;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (this.recording) this.open.set(args.queryId, { start: performance.now(), node: args.node });
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    const o = this.open.get(args.queryId);
    if (o) {
      this.open.delete(args.queryId);
      this.recorded.push({ ...o, end: performance.now(), queryId: args.queryId });
    }
    return args.result;
  }
}

/** Wall time covered by the queries' intervals (overlaps counted once). */
function unionMs(queries: readonly TimedQuery[]): number {
  const spans = queries.map((q) => [q.start, q.end] as const).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [Number.NaN, Number.NaN];
  for (const [s, e] of spans) {
    if (Number.isNaN(from) || s > to) {
      if (!Number.isNaN(from)) total += to - from;
      [from, to] = [s, e];
    } else to = Math.max(to, e);
  }
  return Number.isNaN(from) ? 0 : total + (to - from);
}

export type Endpoint = {
  name: string;
  /** Paths to ask in turn (several campaigns, for instance). */
  paths: string[];
  auth: boolean;
  /** Also measure a bare route answering this endpoint's own bytes. */
  payloadFloor?: boolean;
};

export type Latency = { n: number; p50: number; p95: number; p99: number; max: number; mean: number };
export type EndpointResult = {
  name: string;
  latency: Latency;
  /** Database time per request (ms). */
  db?: Latency;
  /** Mean response size. */
  bytes: number;
  failures: number;
  firstFailure?: string;
  /** Its statements, the longest to execute first. */
  statements?: Statement[];
};

export type Statement = {
  sql: string;
  /** Runs per request. */
  perRequest: number;
  /** Median ms from the statement's start to its result, as the server's db saw it. */
  medianMs: number;
  /** Execution and planning times of one run (EXPLAIN (ANALYZE, TIMING OFF)). */
  executionMs: number;
  planningMs: number;
  plan: string;
};

export function latencyOf(samples: readonly number[]): Latency {
  const s = [...samples].sort((a, b) => a - b);
  // Nearest rank: p99 of 300 samples is the 297th.
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))] ?? Number.NaN;
  return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s.at(-1) ?? Number.NaN, mean: s.reduce((a, b) => a + b, 0) / Math.max(1, s.length) };
}

type Response = { status: number; body: Buffer; ms: number };

function get(agent: http.Agent, port: number, path: string, headers: Record<string, string>): Promise<Response> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), ms: performance.now() - started }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export async function measureEndpoints(
  db: Kysely<Database>,
  apiKey: string,
  endpoints: readonly Endpoint[],
  options: { warmup: number; requests: number },
  log: (msg: string) => void,
): Promise<EndpointResult[]> {
  const timer = new QueryTimer();
  const app = await buildServer({ db: db.withPlugin(timer), metrics: createMetrics(), logLevel: 'silent' });
  const payloads = new Map<string, Buffer>();
  app.get('/bench/floor', async (_request, reply) => reply.type('application/json; charset=utf-8').send('{"ok":true}'));
  app.get<{ Params: { name: string } }>('/bench/bytes/:name', async (request, reply) =>
    reply.type('application/json; charset=utf-8').send(payloads.get(request.params.name) ?? Buffer.from('{}')));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const port = (app.server.address() as AddressInfo).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const authHeaders = { authorization: `Bearer ${apiKey}` };

  type Row = { name: string; path: (round: number) => string; auth: boolean; samples: number[]; dbMs: number[]; queries: TimedQuery[][]; bytes: number; failures: number; firstFailure?: string };
  const floor: Row = { name: 'floor: bare route, {"ok":true}', path: () => '/bench/floor', auth: false, samples: [], dbMs: [], queries: [], bytes: 0, failures: 0 };
  const rows: Row[] = [floor];
  for (const [i, e] of endpoints.entries()) {
    rows.push({ name: e.name, path: (r) => e.paths[r % e.paths.length]!, auth: e.auth, samples: [], dbMs: [], queries: [], bytes: 0, failures: 0 });
    if (e.payloadFloor) {
      rows.push({ name: `floor: bare route, the same bytes as ${e.name}`, path: (r) => `/bench/bytes/${i}-${r % e.paths.length}`, auth: false, samples: [], dbMs: [], queries: [], bytes: 0, failures: 0 });
    }
  }

  try {
    // An endpoint's first response from each of its paths: the bytes its payload floor sends in turn.
    for (const [i, e] of endpoints.entries()) {
      for (const [j, path] of e.paths.entries()) payloads.set(`${i}-${j}`, (await get(agent, port, path, e.auth ? authHeaders : {})).body);
    }
    const total = options.warmup + options.requests;
    // Interleaved: each round asks every row once, so all rows meet the same machine.
    for (let round = 0; round < total; round++) {
      const measured = round >= options.warmup;
      for (const row of rows) {
        timer.recorded = [];
        timer.recording = measured;
        const r = await get(agent, port, row.path(round), row.auth ? authHeaders : {});
        timer.recording = false;
        if (!measured) continue;
        row.samples.push(r.ms);
        row.bytes += r.body.length / options.requests;
        if (r.status !== 200) {
          row.failures++;
          row.firstFailure ??= `${r.status} ${r.body.toString('utf8').slice(0, 300)}`;
        }
        if (row.auth) {
          row.dbMs.push(unionMs(timer.recorded));
          row.queries.push(timer.recorded);
        }
      }
      if (measured && (round - options.warmup + 1) % 100 === 0) log(`queries: ${round - options.warmup + 1} of ${options.requests} rounds`);
    }

    const results: EndpointResult[] = [];
    for (const row of rows) {
      const result: EndpointResult = { name: row.name, latency: latencyOf(row.samples), bytes: row.bytes, failures: row.failures, firstFailure: row.firstFailure };
      if (row.auth) {
        result.db = latencyOf(row.dbMs);
        result.statements = await explainStatements(db, row.queries);
      }
      results.push(result);
    }
    return results;
  } finally {
    agent.destroy();
    await app.close();
  }
}

/**
 * Each distinct statement of an endpoint's requests, with its median time as the server's db saw it
 * (which on PGlite's one connection includes waiting behind the request's other statements) and,
 * run once more under EXPLAIN (ANALYZE, BUFFERS) with the parameters of its first run, its plan,
 * and, under EXPLAIN (ANALYZE, TIMING OFF), its execution and planning time: where the database's
 * share of a request goes.
 */
async function explainStatements(db: Kysely<Database>, requests: readonly TimedQuery[][]): Promise<Statement[]> {
  const executor = db.getExecutor();
  const bySql = new Map<string, { ms: number[]; first: CompiledQuery }>();
  for (const queries of requests) {
    for (const q of queries) {
      const compiled = executor.compileQuery(q.node, q.queryId);
      const entry = bySql.get(compiled.sql) ?? bySql.set(compiled.sql, { ms: [], first: compiled }).get(compiled.sql)!;
      entry.ms.push(q.end - q.start);
    }
  }
  const statements: Statement[] = [];
  for (const [text, e] of bySql) {
    const explain = async (options: string) => {
      try {
        const r = await db.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`EXPLAIN (${options}) ${text}`, [...e.first.parameters]));
        return r.rows.map((row) => row['QUERY PLAN']).join('\n');
      } catch (err) {
        return `EXPLAIN failed: ${(err as Error).message}`;
      }
    };
    // The times without per-node timing, whose clock readings cost much on PGlite's WASM.
    const timed = await explain('ANALYZE, TIMING OFF');
    const plan = await explain('ANALYZE, BUFFERS');
    const timeOf = (what: string) => Number(new RegExp(`^${what} Time: ([\\d.]+) ms`, 'm').exec(timed)?.[1] ?? Number.NaN);
    statements.push({
      sql: text, perRequest: e.ms.length / Math.max(1, requests.length), medianMs: latencyOf(e.ms).p50,
      executionMs: timeOf('Execution'), planningMs: timeOf('Planning'), plan,
    });
  }
  return statements.sort((a, b) => (b.executionMs || 0) - (a.executionMs || 0));
}
