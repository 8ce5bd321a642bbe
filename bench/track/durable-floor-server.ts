// The durable floor: the least any server can do and still keep every hit it acknowledges. A bare
// node:http server that checks nothing, appends one line a hit to a file and answers only once an
// fdatasync covering that line has returned. Syncs are group-committed: one at a time, and each
// covers every line that arrived while the previous one ran. Run as its own process (like
// Sendtrail), its file on the same disk as Sendtrail's data dir.
import { createServer } from 'node:http';
import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The smallest transparent GIF (43 bytes), as Sendtrail's pixel serves.
const GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');
const PIXEL_HEADERS = { 'content-type': 'image/gif', 'content-length': String(GIF.length), 'cache-control': 'no-store, no-cache, must-revalidate, private, max-age=0' };

const dir = await mkdtemp(join(tmpdir(), 'sendtrail-bench-durable-floor-'));
const fd = openSync(join(dir, 'hits.jsonl'), 'a');
let waiting: Array<{ line: string; answer: () => void }> = [];
let syncing = false;

function flush(): void {
  if (syncing || waiting.length === 0) return;
  const batch = waiting;
  waiting = [];
  syncing = true;
  writeSync(fd, batch.map((w) => w.line).join(''));
  fdatasync(fd, (err) => {
    syncing = false;
    if (err) throw err;
    for (const w of batch) w.answer();
    flush();
  });
}

const server = createServer((req, res) => {
  const click = req.url!.startsWith('/t/c/');
  const line = `${JSON.stringify({ url: req.url, ua: req.headers['user-agent'], ip: req.socket.remoteAddress, at: Date.now() })}\n`;
  waiting.push({
    line,
    answer: () => {
      if (click) res.writeHead(302, { location: 'https://example.com/landing', 'content-length': '0' }).end();
      else res.writeHead(200, PIXEL_HEADERS).end(GIF);
    },
  });
  flush();
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (m) => {
  if (m !== 'close') return;
  server.close();
  closeSync(fd);
  void rm(dir, { recursive: true, force: true }).then(() => process.exit(0));
});
