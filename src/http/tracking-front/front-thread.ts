// Body of the tracking front thread: it owns the process's public HTTP port. Pixel and click
// requests are answered here, start to end (verify the token, spool the hit with fsync, answer),
// and the spooled hits are handed to the main thread, which classifies and commits them. On PGlite
// the database runs on the main thread and holds it for a whole commit: answered here, a redirect
// never waits for one. Every other connection goes on, byte for byte, to the main thread's server
// (a Unix socket), prefixed with a PROXY line naming the client.
//
// A connection is routed by its first request line: browsers and mail clients open one for the
// tracking host and keep it for tracking requests. A keep-alive connection that mixes the two is
// still served right: another request on a tracking connection is forwarded over a connection of
// its own; a tracking request on a forwarded one is answered by the main thread, which hands the
// hit back here to be spooled.
import { parentPort, workerData } from 'node:worker_threads';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createNetServer, type Socket } from 'node:net';
import { startHitRecorder, hitFromJson, type RecordedHit } from '../../tracking/index.ts';
import { trackingHandler } from '../routes/tracking.routes.ts';
import { proxyLineOf } from './proxy-line.ts';
import type { FrontData, FromFront, ToFront } from './front-protocol.ts';

const port = parentPort!;
const data = workerData as FrontData;
const post = (message: FromFront) => port.postMessage(message);
const commits = new Map<number, { resolve(): void; reject(err: Error): void }>();
let nextCommit = 0;

let recorder;
try {
  recorder = await startHitRecorder({
    ...data.spooling,
    log: { warn: (obj, msg) => post({ op: 'warn', message: `${msg ?? ''}: ${errorText((obj as { err?: unknown }).err)}` }) },
    // In order, one at a time (the recorder's commit loop awaits each): the main thread commits it.
    commit: ({ lines }) => new Promise<void>((resolve, reject) => {
      const id = nextCommit++;
      commits.set(id, { resolve, reject });
      post({ op: 'commit', id, text: lines.join('\n') });
    }),
  });
} catch (err) {
  post({ op: 'failed', message: errorText(err) });
  process.exit(1);
}
const hits = recorder;

let closing = false;
let backend = '';
const connections = new Set<Socket>();
const server = createServer((req, res) => {
  if (!handle(req, res)) forward(req, res);
});
let handle: ReturnType<typeof trackingHandler> = () => false;

// Long enough to tell "GET /t/o/" and "HEAD /t/c/" from any other request line.
const PREFIXES = ['GET /t/o/', 'GET /t/c/', 'HEAD /t/o/', 'HEAD /t/c/'].map((p) => Buffer.from(p));
const PEEK = Math.max(...PREFIXES.map((p) => p.length));

/** 'tracking', 'other', or undefined while the first bytes could still be either. */
function routeOf(head: Buffer): 'tracking' | 'other' | undefined {
  let possible = false;
  for (const p of PREFIXES) {
    const n = Math.min(p.length, head.length);
    if (head.compare(p, 0, n, 0, n) !== 0) continue;
    if (n === p.length) return 'tracking';
    possible = true;
  }
  return possible && head.length < PEEK ? undefined : 'other';
}

const front = createNetServer((socket) => {
  connections.add(socket);
  socket.once('close', () => connections.delete(socket));
  let head: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    head = head.length === 0 ? chunk : Buffer.concat([head, chunk]);
    const route = routeOf(head);
    if (!route) return;
    socket.off('data', onData);
    socket.pause();
    socket.unshift(head);
    if (route === 'tracking') {
      server.emit('connection', socket);
      socket.resume();
    } else {
      pipeToBackend(socket);
    }
  };
  socket.on('data', onData);
  socket.on('error', () => socket.destroy());
});

/** The whole connection, both ways, to the main thread's server. */
function pipeToBackend(socket: Socket): void {
  const upstream = connect(backend);
  connections.add(upstream);
  upstream.once('close', () => connections.delete(upstream));
  upstream.write(proxyLineOf(socket));
  socket.pipe(upstream).pipe(socket);
  const end = () => {
    socket.destroy();
    upstream.destroy();
  };
  socket.on('error', end).on('close', end);
  upstream.on('error', end).on('close', end);
}

// Response headers that belong to the hop to the main thread, not to the client's connection.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'proxy-connection', 'upgrade']);

/** Another request on a connection that began with a tracking one: sent to the main thread on a connection of its own. */
function forward(req: IncomingMessage, res: ServerResponse): void {
  const upstream = connect(backend);
  upstream.write(proxyLineOf(req.socket));
  const headers = { ...req.headers, connection: 'close' };
  const out = httpRequest({ createConnection: () => upstream, method: req.method, path: req.url, headers }, (answer) => {
    const kept = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => !HOP_BY_HOP.has(name)));
    res.writeHead(answer.statusCode ?? 502, answer.statusMessage, kept);
    answer.pipe(res);
  });
  out.on('error', () => {
    if (res.headersSent) return void res.destroy();
    const body = JSON.stringify({ error: { code: 'unavailable', message: 'The server is not answering; try again.' } });
    res.writeHead(503, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) }).end(body);
  });
  req.pipe(out);
}

async function close(): Promise<void> {
  closing = true;
  await new Promise<void>((resolve) => front.close(() => resolve()));
  server.closeIdleConnections();
  // In-flight tracking requests finish (their hits are spooled); then nothing else is served.
  await hits.close();
  for (const c of connections) c.destroy();
  server.closeAllConnections();
  post({ op: 'closed' });
}

port.on('message', (message: ToFront) => {
  switch (message.op) {
    case 'listen': {
      backend = message.backend;
      handle = trackingHandler(
        { keys: data.keys, recorder: hits, log: { warn: (obj) => post({ op: 'warn', message: `tracking hit lost: ${errorText((obj as { err?: unknown }).err)}` }) } },
        { trustProxy: message.trustProxy, isClosing: () => closing },
      );
      front.once('error', (err) => post({ op: 'failed', message: errorText(err) }));
      front.listen({ host: message.host, port: message.port }, () => {
        const address = front.address();
        post({ op: 'listening', port: typeof address === 'object' && address ? address.port : message.port });
      });
      return;
    }
    case 'committed': {
      const c = commits.get(message.id);
      commits.delete(message.id);
      if (message.error === undefined) c?.resolve();
      else c?.reject(new Error(message.error));
      return;
    }
    case 'record': {
      const hit: RecordedHit | undefined = hitFromJson(message.line);
      if (!hit) return post({ op: 'recorded', id: message.id, error: 'not a hit' });
      hits.record(hit).then(
        () => post({ op: 'recorded', id: message.id }),
        (err: unknown) => post({ op: 'recorded', id: message.id, error: errorText(err) }),
      );
      return;
    }
    case 'close':
      void close();
  }
});
post({ op: 'ready' });

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
