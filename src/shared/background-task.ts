// A background task: one loop that runs a unit of work, sleeps, and can be woken, run on demand
// and stopped cleanly. Every loop of Sendtrail (delivery, campaign expansion, reply forwarding,
// housekeeping, upkeep of the embedded database) is one of these, so each gets the same answers to
// the same questions: what if work arrives mid-run (it runs again at once), what if a run throws
// (it is logged and retried later), what if stop() comes mid-run (the run finishes, none follows).

export type TaskLog = { error(obj: unknown, msg?: string): void };

export type BackgroundTaskOptions<T> = {
  /** Names the task in logs. */
  name: string;
  /**
   * One unit of work. Returns how long to sleep before the next run (0: run again at once, after
   * yielding to the event loop), or a value for runNow() callers (then the task sleeps `intervalMs`).
   * `isStopping()` turns true once stop() is called: a long run may cut itself short.
   */
  run(isStopping: () => boolean): Promise<{ sleepMs?: number; value?: T } | number | void>;
  /** Sleep between runs when the run does not say. */
  intervalMs: number;
  /** Sleep after a run that threw (default: intervalMs). */
  errorDelayMs?: number;
  /** Wait this long before the first run (default 0: at once). */
  firstRunAfterMs?: number;
  /** How long stop() waits for a run in progress before giving up on it (default: as long as it takes). */
  stopTimeoutMs?: number;
  log?: TaskLog;
};

export type BackgroundTask<T = void> = {
  /** Work has arrived: end the current sleep, or run again as soon as the current run ends. */
  wake(): void;
  /** Runs the task as soon as no run is in progress and resolves with that run's value (never two runs at once). */
  runNow(): Promise<T | undefined>;
  /** No run starts after this; resolves once the run in progress (if any) has ended. */
  stop(): Promise<void>;
};

type Waiter<T> = { resolve(value: T | undefined): void; reject(err: unknown): void };

export function startBackgroundTask<T = void>(options: BackgroundTaskOptions<T>): BackgroundTask<T> {
  let stopping = false;
  let woken = false;
  let wakeSleep: (() => void) | undefined;
  // runNow() callers: those who asked before a run started are answered by that run.
  let waiting: Array<Waiter<T>> = [];

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      // Timers take at most 2^31-1 ms; a longer one would fire at once.
      const timer = setTimeout(done, Math.min(ms, 2_147_483_647));
      function done() {
        clearTimeout(timer);
        wakeSleep = undefined;
        resolve();
      }
      wakeSleep = done;
    });

  const wake = () => {
    woken = true;
    wakeSleep?.();
  };

  async function runOnce(): Promise<number> {
    const answering = waiting;
    waiting = [];
    try {
      const result = await options.run(() => stopping);
      const { sleepMs, value } = typeof result === 'number' ? { sleepMs: result, value: undefined } : (result ?? {});
      for (const w of answering) w.resolve(value);
      return sleepMs ?? options.intervalMs;
    } catch (err) {
      for (const w of answering) w.reject(err);
      const delay = options.errorDelayMs ?? options.intervalMs;
      options.log?.error({ err, task: options.name }, `${options.name} failed; trying again in ${delay} ms`);
      return delay;
    }
  }

  const running = (async () => {
    if (options.firstRunAfterMs) await sleep(options.firstRunAfterMs);
    while (!stopping) {
      woken = false;
      const sleepMs = await runOnce();
      if (stopping) break;
      // Going again at once still yields: a batch loop must not starve the rest of the process.
      if (woken || waiting.length > 0 || sleepMs <= 0) await new Promise((resolve) => setImmediate(resolve));
      else await sleep(sleepMs);
    }
    const unanswered = waiting;
    waiting = [];
    for (const w of unanswered) w.resolve(undefined);
  })();

  return {
    wake,
    runNow() {
      if (stopping) return Promise.resolve(undefined);
      return new Promise<T | undefined>((resolve, reject) => {
        waiting.push({ resolve, reject });
        wake();
      });
    },
    async stop() {
      stopping = true;
      wakeSleep?.();
      if (options.stopTimeoutMs === undefined) return running;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, options.stopTimeoutMs).unref()));
      await Promise.race([running, timeout]);
      clearTimeout(timer);
    },
  };
}
