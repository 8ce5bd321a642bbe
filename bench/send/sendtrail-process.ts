// Runs Sendtrail as a child process (`sendtrail start`, the way the tests do it: one launcher in
// test/support) from a snapshot of the tree, cleaned up on Ctrl-C, and samples its memory.
import {
  memoryOf,
  REPO_ROOT,
  runSendtrailCommand as runCommandIn,
  startSendtrailProcess,
  type SendtrailEnv,
} from '../../test/support/sendtrail-process.ts';
import { onInterrupt } from './cleanup.ts';

export { memoryOf, REPO_ROOT, type SendtrailEnv };

// Where `sendtrail` runs from: the working tree, or a snapshot of it (snapshot.ts).
let appRoot = REPO_ROOT;
export const runSendtrailFrom = (root: string) => (appRoot = root);

export type SendtrailProcess = {
  pid: number;
  url: string;
  /** The last lines the child wrote, for error reports. */
  output(): string;
  /** Exit code or signal once the child has ended, else undefined. */
  ended(): string | undefined;
  stop(): Promise<void>;
};

/** Runs a one-shot `sendtrail <args>` command (e.g. `domains add`) with the same environment. */
export const runSendtrailCommand = (env: SendtrailEnv, args: string[]) => runCommandIn(env, args, appRoot);

export async function startSendtrail(env: SendtrailEnv, options: { cpuProfileDir?: string; roles?: string; startTimeoutMs?: number } = {}): Promise<SendtrailProcess> {
  const child = await startSendtrailProcess(env, { ...options, cwd: appRoot });
  // SIGTERM lets it finish in-flight deliveries (and write a CPU profile when asked).
  const forget = onInterrupt(() => child.stop());
  if (!child.url) throw new Error('sendtrail started without the api role');
  return { ...child, url: child.url, stop: () => child.stop().finally(forget) };
}

/** Samples RSS every `everyMs` and keeps the peak. */
export function sampleRss(pid: number, everyMs = 500) {
  let peakMb = 0;
  let peakAtMs = 0;
  const started = Date.now();
  const take = () => {
    const m = memoryOf(pid);
    if (m && m.rssMb > peakMb) {
      peakMb = m.rssMb;
      peakAtMs = Date.now() - started;
    }
  };
  take();
  const timer = setInterval(take, everyMs);
  return {
    /** The peak, when it was sampled (ms after the start) and the kernel's high-water mark. */
    stop(): { peakMb: number; peakAtMs: number; hwmMb: number } {
      clearInterval(timer);
      take();
      return { peakMb, peakAtMs, hwmMb: memoryOf(pid)?.hwmMb ?? NaN };
    },
  };
}
