// Drives an HTTP endpoint with autocannon: N connections for D seconds over a list of paths,
// each request taking the next path, and reports throughput, latency and status counts.
import autocannon from 'autocannon';

export type LoadResult = {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  ok: number; // 2xx (pixel) or 3xx (click): what the endpoint should answer
  other: number; // any other status
  errors: number; // connection errors and timeouts
};

export async function load(url: string, paths: string[], options: { connections: number; seconds: number; expect: '2xx' | '3xx'; method?: 'GET' | 'HEAD' }): Promise<LoadResult> {
  let next = 0;
  const result = await autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    method: options.method ?? 'GET',
    headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }) }],
  });
  const ok = options.expect === '2xx' ? result['2xx'] : result['3xx'];
  const total = result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'];
  return {
    requests: total,
    rps: total / options.seconds,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    ok,
    other: total - ok,
    errors: result.errors + result.timeouts,
  };
}
