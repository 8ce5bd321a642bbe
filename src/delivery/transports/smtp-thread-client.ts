// Starts the SMTP sending thread (smtp-thread.ts) and talks to it: pools opened by name, sends
// batched into one message per turn of the event loop, answers matched back by sequence number.
import type { Worker } from 'node:worker_threads';
import { moduleBeside, startModuleWorker } from '../../shared/module-worker.ts';
import type { SendMailOptions } from 'nodemailer';
import type { PoolReply, SmtpPool, SmtpPoolOptions } from './smtp-pool.ts';
import type { FromThread, SendJob, ToThread } from './smtp-thread.ts';

export type SmtpThread = {
  /** A pool living in the thread; `send` resolves with the thread's answer. */
  openPool(name: string, options: SmtpPoolOptions): SmtpPool;
  /** The thread's JS heap (undefined when no thread runs), for memory figures. */
  heap(): Promise<{ usedBytes: number; totalBytes: number } | undefined>;
  close(): Promise<void>;
};

export type SmtpThreadOptions = {
  /** Old-generation heap limit of the thread: nodemailer's garbage is collected early instead of growing RSS. */
  maxOldGenerationSizeMb?: number;
  /** Young-generation limit: nodemailer's garbage is short-lived, so a small one costs little CPU. */
  maxYoungGenerationSizeMb?: number;
};

const THREAD_URL = moduleBeside(import.meta.url, './smtp-thread');

export function startSmtpThread(options: SmtpThreadOptions = {}): SmtpThread {
  const pools = new Map<string, SmtpPoolOptions>();
  const pending = new Map<number, (reply: PoolReply) => void>();
  let outbox: SendJob[] = [];
  let seq = 0;
  let worker: Worker | undefined;
  let closing = false;

  const spawn = (): Worker => {
    const w = startModuleWorker(THREAD_URL, {
      resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 64, maxYoungGenerationSizeMb: options.maxYoungGenerationSizeMb ?? 8 },
    });
    w.unref();
    w.on('message', (message: FromThread) => {
      if (message.op !== 'results') return;
      for (const [id, reply] of message.results) {
        pending.get(id)?.(reply);
        pending.delete(id);
      }
    });
    // A dead thread (out of memory, a bug) fails its sends as connection errors, so they are retried
    // with backoff like any broken connection; the next send starts a fresh thread.
    const onEnd = (why: string) => {
      if (worker !== w) return;
      worker = undefined;
      const lost = [...pending.values()];
      pending.clear();
      for (const fail of lost) fail({ ok: false, error: { code: 'ESOCKET', message: `the SMTP thread ended: ${why}` } });
    };
    w.on('error', (err) => onEnd(err.message));
    w.on('exit', (code) => onEnd(`exit code ${code}`));
    for (const [name, pool] of pools) w.postMessage({ op: 'open', pool: name, options: pool } satisfies ToThread);
    return w;
  };
  const thread = () => (worker ??= spawn());
  // Started now, not at the first send: loading the thread's modules takes about half a second,
  // which would otherwise delay the first email after every start (a campaign's first batch too).
  try {
    thread();
  } catch {
    // Reported by the first send, which tries again (see openPool).
  }

  const flush = () => {
    const jobs = outbox;
    outbox = [];
    if (jobs.length > 0) thread().postMessage({ op: 'send', jobs } satisfies ToThread);
  };

  return {
    openPool(name, poolOptions) {
      pools.set(name, poolOptions);
      worker?.postMessage({ op: 'open', pool: name, options: poolOptions } satisfies ToThread);
      return {
        send(mail: SendMailOptions, recipient: string) {
          if (closing) return Promise.resolve({ ok: false, error: { code: 'ESOCKET', message: 'the SMTP thread is closing' } });
          try {
            thread();
          } catch (err) {
            // Could not start the thread: a connection-like error, so the email is retried, not failed.
            return Promise.resolve({ ok: false, error: { code: 'ESOCKET', message: `the SMTP thread did not start: ${(err as Error).message}` } });
          }
          return new Promise<PoolReply>((resolve) => {
            const id = seq++;
            pending.set(id, resolve);
            if (outbox.length === 0) setImmediate(flush);
            outbox.push({ seq: id, pool: name, recipient, mail });
          });
        },
        close() {},
      };
    },
    async heap() {
      const w = worker;
      if (!w) return undefined;
      return new Promise((resolve) => {
        const timer = setTimeout(() => (w.off('message', listen), resolve(undefined)), 1000);
        const listen = (m: FromThread) => {
          if (m.op !== 'heap') return;
          clearTimeout(timer);
          w.off('message', listen);
          resolve({ usedBytes: m.usedBytes, totalBytes: m.totalBytes });
        };
        w.on('message', listen);
        w.postMessage({ op: 'heap' } satisfies ToThread);
      });
    },
    async close() {
      closing = true;
      const w = worker;
      if (!w) return;
      // Lets the pools say QUIT before the thread goes; terminate() if it does not answer.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 2000);
        w.on('message', (m: FromThread) => m.op === 'closed' && (clearTimeout(timer), resolve()));
        w.postMessage({ op: 'close' } satisfies ToThread);
      });
      worker = undefined;
      await w.terminate();
    },
  };
}
