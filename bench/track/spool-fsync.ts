// How long a spool batch waits for its fdatasync on this machine's disk, for the choices
// hit-spool.ts makes: appending to a growing file or overwriting a preallocated one, and one sync
// at a time or two overlapping. `--busy N` runs N spinning processes meanwhile, as bench:track's
// load does. Usage: npm run bench:spool-fsync -- [--busy 2] [--batches 600] [--dir DIR]; DIR (default:
// here) must be on the disk that holds SENDTRAIL_DATA_DIR, not a tmpfs, where a sync costs nothing.
import { fork } from 'node:child_process';
import { closeSync, fdatasync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';

if (process.argv.includes('--spin')) {
  for (;;) {
    // Busy on purpose: stands for the HTTP, commit and load threads of bench:track.
  }
}

const { values } = parseArgs({
  options: {
    busy: { type: 'string', default: '0' },
    batches: { type: 'string', default: '600' },
    dir: { type: 'string', default: '.' },
  },
});
const batches = Number(values.batches);
const sync = promisify(fdatasync);
// About one batch of ~20 spooled hits.
const BATCH = Buffer.alloc(6000, 'x');
const SEGMENT = 8 * 1024 * 1024;

type Variant = { name: string; preallocate: boolean; overlap: number };
const VARIANTS: Variant[] = [
  { name: 'append, one sync at a time', preallocate: false, overlap: 1 },
  { name: 'preallocated, one sync at a time', preallocate: true, overlap: 1 },
  { name: 'append, two overlapping', preallocate: false, overlap: 2 },
  { name: 'preallocated, two overlapping', preallocate: true, overlap: 2 },
];

async function measure(v: Variant): Promise<{ avg: number; p50: number; p99: number }> {
  const path = join(values.dir!, `.spool-fsync-${process.pid}`);
  const fd = openSync(path, 'w');
  try {
    if (v.preallocate) {
      const zeros = Buffer.alloc(1024 * 1024);
      for (let at = 0; at < SEGMENT; at += zeros.length) writeSync(fd, zeros, 0, zeros.length, at);
      await sync(fd);
    }
    let position = 0;
    let next = 0;
    const waits: number[] = [];
    const lane = async () => {
      while (next++ < batches) {
        writeSync(fd, BATCH, 0, BATCH.length, position);
        position += BATCH.length;
        const t = performance.now();
        await sync(fd);
        waits.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: v.overlap }, lane));
    waits.sort((a, b) => a - b);
    return {
      avg: waits.reduce((a, b) => a + b, 0) / waits.length,
      p50: waits[Math.floor(waits.length / 2)]!,
      p99: waits[Math.floor(waits.length * 0.99)]!,
    };
  } finally {
    closeSync(fd);
    unlinkSync(path);
  }
}

const spinners = Array.from({ length: Number(values.busy) }, () => fork(new URL(import.meta.url).pathname, ['--spin'], { execArgv: ['--import', 'tsx'] }));
try {
  await new Promise((resolve) => setTimeout(resolve, spinners.length ? 1000 : 0));
  console.log(`fdatasync wait per batch of ${BATCH.length} bytes, ${batches} batches, ${spinners.length} busy processes meanwhile`);
  console.log('| variant | avg ms | p50 ms | p99 ms |\n|---|---|---|---|');
  // Twice through, so neither order nor the disk's warm-up favours one variant.
  for (const round of [1, 2]) {
    for (const v of VARIANTS) {
      const r = await measure(v);
      console.log(`| ${v.name} (round ${round}) | ${r.avg.toFixed(2)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
    }
  }
} finally {
  for (const s of spinners) s.kill();
}
