// A real HTTP server on 127.0.0.1, port 0, that receives webhooks: it records each request (path,
// headers, body, arrival time) and answers as the test says, so tests see what a receiver sees.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedHook = { path: string; headers: IncomingHttpHeaders; body: string; at: number };

/** How to answer a request: a status (and headers and body), or 'hang' to never answer. */
export type HookAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

export type WebhookReceiver = {
  url: string;
  port: number;
  received: ReceivedHook[];
  /** Requests being answered right now, and the most there ever were at once. */
  open: number;
  maxOpen: number;
  /** Decides each answer (default: 200 "ok"). */
  answer: (hook: ReceivedHook) => HookAnswer | Promise<HookAnswer>;
  /** Resolves once `count` requests have arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedHook[]>;
  close(): Promise<void>;
};

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const hanging = new Set<ServerResponse>();
  const r: WebhookReceiver = {
    url: '',
    port: 0,
    received: [],
    open: 0,
    maxOpen: 0,
    answer: () => ({ status: 200, body: 'ok' }),
    async waitFor(count, timeoutMs = 10_000) {
      const until = Date.now() + timeoutMs;
      while (r.received.length < count) {
        if (Date.now() > until) throw new Error(`the receiver got ${r.received.length} of ${count} webhooks in ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      return r.received;
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const hook: ReceivedHook = { path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: Date.now() };
      r.received.push(hook);
      r.open++;
      r.maxOpen = Math.max(r.maxOpen, r.open);
      res.on('close', () => r.open--);
      const answer = await r.answer(hook);
      if (answer === 'hang') {
        hanging.add(res);
        return;
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  r.port = (server.address() as AddressInfo).port;
  r.url = `http://127.0.0.1:${r.port}`;
  return r;
}
