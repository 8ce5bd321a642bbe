// The bench's receiver: a bare node:http server on 127.0.0.1 that acknowledges every webhook with
// 204, keeps when each webhook-id first arrived (and how many arrived again), and can be taken
// down (its port closed, connections cut) and brought back on the same port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type BenchReceiver = {
  url: string;
  /** First arrival (ms since the epoch) and the event's created_at per webhook-id. */
  firstSeen: Map<string, { at: number; createdAt: number }>;
  duplicates: number;
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
};

export async function startBenchReceiver(): Promise<BenchReceiver> {
  let server: Server | undefined;
  let port = 0;
  const r: BenchReceiver = {
    url: '',
    firstSeen: new Map(),
    duplicates: 0,
    async down() {
      if (!server) return;
      const s = server;
      server = undefined;
      s.closeAllConnections();
      await new Promise((resolve) => s.close(resolve));
    },
    async up() {
      if (server) return;
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const id = String(req.headers['webhook-id']);
          if (r.firstSeen.has(id)) r.duplicates++;
          else r.firstSeen.set(id, { at: Date.now(), createdAt: Date.parse((JSON.parse(Buffer.concat(chunks).toString()) as { created_at: string }).created_at) });
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
      r.url = `http://127.0.0.1:${port}`;
    },
    close: () => r.down(),
  };
  await r.up();
  return r;
}
