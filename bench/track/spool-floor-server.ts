// The durable-spool floor: Sendtrail's own tracking request handler and hit recorder, with its real
// fsync'd spool on the same disk as Sendtrail's data dir, but no database: each committed batch is
// dropped. It answers what "every hit durable" costs before any classifying or storing, so a
// Sendtrail figure can be read against both: the durable floor (a bare server and file) and this.
// Run as its own process (like the durable floor and Sendtrail), with the configuration's defaults.
import { createServer } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load-config.ts';
import { trackingHandler } from '../../src/http/routes/tracking.routes.ts';
import { spoolingOf } from '../../src/roles/index.ts';
import { startHitRecorder } from '../../src/tracking/index.ts';

const keys = process.env.TRACKING_KEYS?.split(',').filter(Boolean) ?? [];
if (keys.length === 0) throw new Error('spool-floor-server.ts needs TRACKING_KEYS (the keys Sendtrail signs with)');
// The defaults a `sendtrail start` would use; SENDTRAIL_DATA_DIR is this process's own spool dir.
const spoolDir = await mkdtemp(join(tmpdir(), 'sendtrail-bench-floor-'));
const config = loadConfig({ ...process.env, SENDTRAIL_DATA_DIR: spoolDir });
const recorder = await startHitRecorder({ ...spoolingOf(config), commit: async () => {} });
const handle = trackingHandler({ keys, recorder });
const server = createServer((req, res) => {
  if (handle(req, res)) return;
  res.writeHead(404).end();
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send!({ port: typeof address === 'object' && address ? address.port : 0 });
});
process.on('message', (m) => {
  if (m !== 'close') return;
  server.close();
  void recorder.close().then(() => rm(spoolDir, { recursive: true, force: true })).then(() => process.exit(0));
});
