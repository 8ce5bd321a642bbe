// Starts the SMTP sending thread (smtp-thread.ts) and talks to it through the shared thread RPC:
// pools opened by name (again in a restarted thread), sends whose answers are plain data.
import type { SendMailOptions } from 'nodemailer';
import { moduleBeside } from '../../shared/module-worker.ts';
import { startThreadRpc } from '../../shared/thread-rpc.ts';
import type { PoolReply, SmtpPool, SmtpPoolOptions } from './smtp-pool.ts';
import type { HeapFigures, SmtpThreadReply, SmtpThreadRequest } from './smtp-thread.ts';

export type SmtpThread = {
  /** A pool living in the thread; `send` resolves with the thread's answer. */
  openPool(name: string, options: SmtpPoolOptions): SmtpPool;
  /** The thread's JS heap (undefined when no thread runs), for memory figures. */
  heap(): Promise<HeapFigures | undefined>;
  close(): Promise<void>;
};

export type SmtpThreadOptions = {
  /** Old-generation heap limit of the thread: nodemailer's garbage is collected early instead of growing RSS. */
  maxOldGenerationSizeMb?: number;
  /** Young-generation limit: nodemailer's garbage is short-lived, so a small one costs little CPU. */
  maxYoungGenerationSizeMb?: number;
};

export function startSmtpThread(options: SmtpThreadOptions = {}): SmtpThread {
  const rpc = startThreadRpc<SmtpThreadRequest, SmtpThreadReply>({
    name: 'the SMTP thread',
    module: moduleBeside(import.meta.url, './smtp-thread'),
    resourceLimits: { maxOldGenerationSizeMb: options.maxOldGenerationSizeMb ?? 64, maxYoungGenerationSizeMb: options.maxYoungGenerationSizeMb ?? 8 },
    closeTimeoutMs: 2000,
  });
  return {
    openPool(name, poolOptions) {
      rpc.setup({ op: 'open', pool: name, options: poolOptions });
      return {
        send(mail: SendMailOptions, recipient: string) {
          // A dead or closing thread fails its sends as connection errors, so they are retried with
          // backoff like any broken connection.
          return rpc.call({ op: 'send', pool: name, recipient, mail }).then(
            (reply) => reply as PoolReply,
            (err: Error): PoolReply => ({ ok: false, error: { code: 'ESOCKET', message: err.message } }),
          );
        },
        close() {},
      };
    },
    async heap() {
      if (!rpc.isRunning()) return undefined;
      const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref());
      return Promise.race([rpc.call({ op: 'heap' }).then((r) => r as HeapFigures, () => undefined), timeout]);
    },
    close: () => rpc.close(),
  };
}
