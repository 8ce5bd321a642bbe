// Body of the SMTP sending thread: composes, signs (DKIM) and sends messages on its own pools,
// off the thread that runs the database (PGlite is PostgreSQL in WASM on the main thread).
import { getHeapStatistics } from 'node:v8';
import type { SendMailOptions } from 'nodemailer';
import { serveThreadRpc } from '../../shared/serve-thread-rpc.ts';
import { openSmtpPool, type PoolReply, type SmtpPool, type SmtpPoolOptions } from './smtp-pool.ts';

export type SmtpThreadRequest =
  | { op: 'open'; pool: string; options: SmtpPoolOptions }
  | { op: 'send'; pool: string; recipient: string; mail: SendMailOptions }
  | { op: 'heap' };
export type HeapFigures = { usedBytes: number; totalBytes: number };
export type SmtpThreadReply = PoolReply | HeapFigures | null;

const pools = new Map<string, SmtpPool>();

serveThreadRpc<SmtpThreadRequest, SmtpThreadReply>({
  async handle(request) {
    switch (request.op) {
      case 'open':
        pools.get(request.pool)?.close();
        pools.set(request.pool, openSmtpPool(request.options));
        return null;
      case 'send': {
        const pool = pools.get(request.pool);
        if (!pool) return { ok: false, error: { message: `no SMTP pool named ${request.pool} in the sending thread` } };
        return pool.send(restoreBuffers(request.mail), request.recipient);
      }
      case 'heap': {
        const heap = getHeapStatistics();
        return { usedBytes: heap.used_heap_size, totalBytes: heap.total_heap_size };
      }
    }
  },
  // Lets the pools say QUIT before the thread goes.
  async close() {
    for (const pool of pools.values()) pool.close();
    pools.clear();
  },
});

// A Buffer arrives as a plain Uint8Array after structured cloning; nodemailer wants a Buffer for raw.
function restoreBuffers(mail: SendMailOptions): SendMailOptions {
  const raw = mail.raw as unknown;
  if (raw instanceof Uint8Array && !Buffer.isBuffer(raw)) return { ...mail, raw: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength) };
  return mail;
}
