// One HTTP POST of a webhook, its result a value: the receiver's status and the start of its body,
// or why no answer came. Redirects are never followed (a 3xx is a failure like any non-2xx: a
// redirect could point anywhere, past the address checks). Every connection's addresses pass the
// address policy (the agents' lookup), IP literals before the request; connect and total timeouts
// bound an attempt; at most 4 KiB of the body is read, the rest left unread.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { AddressPolicy } from '../ssrf/address-policy.ts';
import { guardedLookup, resolveAllowed, type Resolver } from '../ssrf/guarded-lookup.ts';

export const MAX_EXCERPT_BYTES = 4096;

export type PostResult =
  | { kind: 'answered'; status: number; excerpt: string; retryAfter?: string; durationMs: number }
  | { kind: 'no_answer'; error: string; durationMs: number };

export type Poster = {
  post(url: string, headers: Record<string, string>, body: string): Promise<PostResult>;
  close(): void;
};

export type PosterOptions = {
  policy: AddressPolicy;
  resolver: Resolver;
  connectTimeoutMs: number;
  timeoutMs: number;
  /** Tests: trust this CA for https receivers. */
  ca?: string | Buffer;
};

export function createPoster(options: PosterOptions): Poster {
  const lookup = guardedLookup(options.resolver, options.policy);
  // Keep-alive: a busy endpoint is not paid a TCP and TLS handshake per event. A reused socket
  // was checked when it connected.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, lookup } as http.AgentOptions),
    'https:': new https.Agent({ keepAlive: true, lookup, ca: options.ca } as https.AgentOptions),
  };

  async function post(target: string, headers: Record<string, string>, body: string): Promise<PostResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let url: URL;
    try {
      url = new URL(target);
      const host = url.hostname.replace(/^\[|\]$/g, '');
      // Node connects to an IP literal without a lookup: check it here.
      if (isIP(host)) await resolveAllowed(host, options.resolver, options.policy);
    } catch (err) {
      return { kind: 'no_answer', error: messageOf(err), durationMs: elapsed() };
    }
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) return { kind: 'no_answer', error: `unsupported protocol ${url.protocol}`, durationMs: elapsed() };
    const client = url.protocol === 'https:' ? https : http;
    return new Promise<PostResult>((resolve) => {
      let settled = false;
      const settle = (result: PostResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(total);
        resolve(result);
      };
      const request = client.request(url, {
        method: 'POST',
        agent,
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Sendtrail-Webhooks/1' },
      });
      const total = setTimeout(() => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)), options.timeoutMs);
      request.on('socket', (socket) => {
        if (!socket.connecting) return;
        const connectTimer = setTimeout(() => request.destroy(new Error(`could not connect within ${options.connectTimeoutMs} ms`)), options.connectTimeoutMs);
        socket.once('connect', () => clearTimeout(connectTimer));
        socket.once('close', () => clearTimeout(connectTimer));
      });
      request.on('error', (err) => settle({ kind: 'no_answer', error: messageOf(err), durationMs: elapsed() }));
      request.on('response', (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).subarray(0, MAX_EXCERPT_BYTES).toString('utf8');
          const retryAfter = response.headers['retry-after'];
          settle({ kind: 'answered', status: response.statusCode ?? 0, excerpt, ...(retryAfter ? { retryAfter } : {}), durationMs: elapsed() });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= MAX_EXCERPT_BYTES) {
            // Enough kept: the rest is not read, and the connection not reused.
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', done);
      });
      request.end(body);
    });
  }

  return {
    post,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}

function messageOf(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return (e?.message ?? String(err)).slice(0, 500);
}
