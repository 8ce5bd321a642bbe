// Parent side of the sink child process (sink-process.ts): start it, mark phases, read counts.
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export type SinkRequest =
  | { type: 'phase'; expect: number }
  | { type: 'counts' }
  | { type: 'verify'; recipientOf: string; count: number }
  | { type: 'probe' }
  | { type: 'close' };

/** `bytes`: the size of all messages of the phase as received, to compare what each side sends. */
export type SinkCounts = { total: number; distinct: number; bytes: number; firstAt?: number; completeAt?: number };

export type SinkReport =
  | { type: 'ready'; port: number; probePort: number; pid: number }
  | { type: 'ok' }
  | ({ type: 'counts' } & SinkCounts)
  | { type: 'verified'; missing: number; unexpected: number; unexpectedSample: string[] }
  | { type: 'probe'; raws: string[] };

export type SinkProcess = {
  port: number;
  /** A second sink that keeps whole messages, for checking a DKIM signature on a few of them. */
  probePort: number;
  pid: number;
  /** Forgets earlier messages and times the arrival of the next `expect` distinct ones. */
  startPhase(expect: number): Promise<void>;
  counts(): Promise<SinkCounts>;
  verify(recipientOf: string, count: number): Promise<{ missing: number; unexpected: number; unexpectedSample: string[] }>;
  probeMessages(): Promise<string[]>;
  close(): Promise<void>;
};

type Reply<T extends SinkReport['type']> = Extract<SinkReport, { type: T }>;

export async function startSinkProcess(): Promise<SinkProcess> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./sink-process.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  child.on('error', () => {}); // a send after the child ended; close() copes with that
  // Requests are answered in order, one reply each.
  const queue: Array<(r: SinkReport) => void> = [];
  const ready = new Promise<Reply<'ready'>>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`sink process exited (${code}) before it was ready`)));
    child.on('message', (r: SinkReport) => (r.type === 'ready' ? resolve(r) : queue.shift()?.(r)));
  });
  const ask = <T extends SinkReport['type']>(request: SinkRequest) =>
    new Promise<Reply<T>>((resolve) => {
      queue.push((r) => resolve(r as Reply<T>));
      child.send(request);
    });
  const { port, probePort, pid } = await ready;
  return {
    port,
    probePort,
    pid,
    async startPhase(expect) {
      await ask<'ok'>({ type: 'phase', expect });
    },
    counts: () => ask<'counts'>({ type: 'counts' }),
    verify: (recipientOf, count) => ask<'verified'>({ type: 'verify', recipientOf, count }),
    probeMessages: async () => (await ask<'probe'>({ type: 'probe' })).raws,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null || !child.connected) return resolve();
        child.once('exit', () => resolve());
        child.send({ type: 'close' });
        setTimeout(() => child.kill('SIGKILL'), 5000).unref();
      }),
  };
}
