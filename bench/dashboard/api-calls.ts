// The API calls behind the Overview and Email Logs, asked as the dashboard asks them (the same
// paths and parameters as web/src/overview/stats.ts and web/src/email-logs/emails-api.ts, signed in
// by the session cookie), by a plain HTTP client: one kept-alive connection, one request at a time,
// the calls interleaved round after round. The floor is /healthz on the same server: HTTP, the
// session-free route and one `SELECT 1`.
import http from 'node:http';
import { latencyOf, type Latency } from '../stats/queries.ts';

export type ApiCall = { name: string; screen: 'Overview' | 'Email Logs' | 'both' | 'floor'; path: () => string };
export type ApiCallResult = { name: string; screen: ApiCall['screen']; latency: Latency; bytes: number; failures: number; firstFailure?: string };

const DAY_MS = 86_400_000;
/** The Overview's default period (DEFAULT_PRESET in web/src/period.ts): the last 7 days, by day. */
const PERIOD_MS = 7 * DAY_MS;
export const TIME_ZONE = 'UTC';

/** As web/src/overview/stats.ts builds them; each call asks for the period ending now, as the page does. */
const statsPath = (shift: number, extra: Record<string, string> = {}) => () => {
  const to = Date.now() - shift * PERIOD_MS;
  return `/v1/stats?${new URLSearchParams({ from: new Date(to - PERIOD_MS).toISOString(), to: new Date(to).toISOString(), granularity: 'day', tz: TIME_ZONE, ...extra })}`;
};

export const API_CALLS: readonly ApiCall[] = [
  { name: 'GET /healthz (floor)', screen: 'floor', path: () => '/healthz' },
  { name: 'GET /v1/session', screen: 'both', path: () => '/v1/session' },
  { name: 'GET /v1/stats, last 7 days by day (the cards and chart)', screen: 'Overview', path: statsPath(0) },
  { name: 'GET /v1/stats, the 7 days before (the changes)', screen: 'Overview', path: statsPath(1) },
  { name: 'GET /v1/stats, last 7 days by provider', screen: 'Overview', path: statsPath(0, { group_by: 'provider' }) },
  { name: 'GET /v1/emails?limit=1 (any email yet?)', screen: 'Overview', path: () => '/v1/emails?limit=1' },
  { name: 'GET /v1/emails?limit=50 (the first page)', screen: 'Email Logs', path: () => '/v1/emails?limit=50' },
];

type Response = { status: number; bytes: number; ms: number; body: string };

function get(agent: http.Agent, base: URL, path: string, cookie: string): Promise<Response> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.get({ host: base.hostname, port: base.port, path, agent, headers: { cookie, accept: 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, ms: performance.now() - started, body: body.toString().slice(0, 300) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

export async function measureApiCalls(baseUrl: string, cookie: string, options: { warmup: number; requests: number }): Promise<ApiCallResult[]> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const base = new URL(baseUrl);
  const samples = API_CALLS.map(() => ({ ms: [] as number[], bytes: 0, failures: 0, firstFailure: undefined as string | undefined }));
  try {
    for (let round = 0; round < options.warmup + options.requests; round++) {
      // Rotated each round, so no call always follows the same one.
      for (let k = 0; k < API_CALLS.length; k++) {
        const i = (k + round) % API_CALLS.length;
        const res = await get(agent, base, API_CALLS[i]!.path(), cookie);
        if (round < options.warmup) continue;
        const s = samples[i]!;
        s.ms.push(res.ms);
        s.bytes += res.bytes;
        if (res.status !== 200) {
          s.failures++;
          s.firstFailure ??= `${res.status}: ${res.body}`;
        }
      }
    }
  } finally {
    agent.destroy();
  }
  return API_CALLS.map((c, i) => {
    const s = samples[i]!;
    return { name: c.name, screen: c.screen, latency: latencyOf(s.ms), bytes: s.bytes / Math.max(1, s.ms.length), failures: s.failures, firstFailure: s.firstFailure };
  });
}
