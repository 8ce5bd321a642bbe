// Body of the SMTP sending thread: composes, signs (DKIM) and sends messages on its own pools,
// off the thread that runs the database (PGlite is PostgreSQL in WASM on the main thread).
import { getHeapStatistics } from 'node:v8';
import { parentPort } from 'node:worker_threads';
import type { SendMailOptions } from 'nodemailer';
import { openSmtpPool, type PoolReply, type SmtpPool, type SmtpPoolOptions } from './smtp-pool.ts';

export type SendJob = { seq: number; pool: string; recipient: string; mail: SendMailOptions };
export type ToThread =
  | { op: 'open'; pool: string; options: SmtpPoolOptions }
  | { op: 'send'; jobs: SendJob[] }
  | { op: 'heap' }
  | { op: 'close' };
export type FromThread =
  | { op: 'results'; results: Array<[seq: number, reply: PoolReply]> }
  | { op: 'heap'; usedBytes: number; totalBytes: number }
  | { op: 'closed' };

const port = parentPort;
if (!port) throw new Error('smtp-thread.ts runs as a worker thread (see smtp-thread-client.ts)');

const pools = new Map<string, SmtpPool>();
let results: Array<[number, PoolReply]> = [];
let flushQueued = false;

// Replies leave in batches, one message per turn of the event loop: a postMessage per email costs
// more than the email's own bookkeeping.
const reply = (seq: number, answer: PoolReply) => {
  results.push([seq, answer]);
  if (flushQueued) return;
  flushQueued = true;
  setImmediate(() => {
    flushQueued = false;
    const batch = results;
    results = [];
    port.postMessage({ op: 'results', results: batch } satisfies FromThread);
  });
};

port.on('message', (message: ToThread) => {
  switch (message.op) {
    case 'open':
      pools.get(message.pool)?.close();
      pools.set(message.pool, openSmtpPool(message.options));
      break;
    case 'send':
      for (const job of message.jobs) {
        const pool = pools.get(job.pool);
        if (!pool) {
          reply(job.seq, { ok: false, error: { message: `no SMTP pool named ${job.pool} in the sending thread` } });
          continue;
        }
        void pool.send(restoreBuffers(job.mail), job.recipient).then((answer) => reply(job.seq, answer));
      }
      break;
    case 'heap': {
      const heap = getHeapStatistics();
      port.postMessage({ op: 'heap', usedBytes: heap.used_heap_size, totalBytes: heap.total_heap_size } satisfies FromThread);
      break;
    }
    case 'close':
      for (const pool of pools.values()) pool.close();
      pools.clear();
      port.postMessage({ op: 'closed' } satisfies FromThread);
      break;
  }
});

// A Buffer arrives as a plain Uint8Array after structured cloning; nodemailer wants a Buffer for raw.
function restoreBuffers(mail: SendMailOptions): SendMailOptions {
  const raw = mail.raw as unknown;
  if (raw instanceof Uint8Array && !Buffer.isBuffer(raw)) return { ...mail, raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) };
  return mail;
}
