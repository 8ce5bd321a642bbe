import { describe, expect, it } from 'vitest';
import { startBackgroundTask, type BackgroundTask } from './background-task.ts';

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A run that waits until released, to hold a task mid-run. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe('a background task', () => {
  it('runs at once, then sleeps its interval; wake() cuts the sleep short', async () => {
    let runs = 0;
    const task = startBackgroundTask({ name: 'test', intervalMs: 10_000, run: async () => void runs++ });
    await delay(20);
    expect(runs).toBe(1);
    task.wake();
    await delay(20);
    expect(runs).toBe(2);
    await task.stop();
  });

  it('sleeps as long as a run asks, and goes again at once when a run returns 0', async () => {
    let runs = 0;
    const task = startBackgroundTask({ name: 'test', intervalMs: 10_000, run: async () => (++runs < 5 ? 0 : 10_000) });
    await delay(50);
    expect(runs).toBe(5);
    await task.stop();
  });

  it('runs again right after a run during which work arrived, without sleeping', async () => {
    const first = gate();
    let runs = 0;
    const task = startBackgroundTask({
      name: 'test',
      intervalMs: 10_000,
      run: async () => {
        runs++;
        if (runs === 1) await first.opened;
      },
    });
    await delay(10);
    task.wake();
    first.open();
    await delay(20);
    expect(runs).toBe(2);
    await task.stop();
  });

  it('never runs twice at once, whatever wakes it and whoever asks for a run', async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const task = startBackgroundTask({
      name: 'test',
      intervalMs: 1,
      run: async () => {
        active++;
        most = Math.max(most, active);
        runs++;
        await delay(2);
        active--;
      },
    });
    const asks = [];
    for (let i = 0; i < 20; i++) {
      task.wake();
      asks.push(task.runNow());
      await delay(1);
    }
    await Promise.all(asks);
    await task.stop();
    expect(most).toBe(1);
    expect(runs).toBeGreaterThan(5);
  });

  it('answers runNow() with the value of a run that started after the call', async () => {
    let n = 0;
    const release = gate();
    const task: BackgroundTask<number> = startBackgroundTask({
      name: 'test',
      intervalMs: 10_000,
      firstRunAfterMs: 10_000,
      run: async () => {
        n++;
        if (n === 1) await release.opened;
        return { value: n };
      },
    });
    const first = task.runNow();
    await delay(5);
    // Asked while run 1 is in progress: answered by run 2, which saw the state after the call.
    const second = task.runNow();
    release.open();
    expect(await first).toBe(1);
    expect(await second).toBe(2);
    await task.stop();
  });

  it('logs a failed run with its name, answers runNow() with the error, and tries again after errorDelayMs', async () => {
    const logged: unknown[] = [];
    let runs = 0;
    const task = startBackgroundTask({
      name: 'sweeping',
      intervalMs: 10_000,
      errorDelayMs: 20,
      firstRunAfterMs: 10_000,
      log: { error: (obj, msg) => logged.push([obj, msg]) },
      run: async () => {
        runs++;
        if (runs === 1) throw new Error('database away');
      },
    });
    await expect(task.runNow()).rejects.toThrow('database away');
    expect(logged).toHaveLength(1);
    expect(String((logged[0] as unknown[])[1])).toContain('sweeping failed');
    await delay(60);
    expect(runs).toBe(2);
    await task.stop();
  });

  it('waits before its first run when asked to', async () => {
    let runs = 0;
    const task = startBackgroundTask({ name: 'test', intervalMs: 10_000, firstRunAfterMs: 10_000, run: async () => void runs++ });
    await delay(20);
    expect(runs).toBe(0);
    await task.stop();
    expect(runs).toBe(0);
  });

  it('stop() lets the run in progress finish, starts none after it, and tells the run it is stopping', async () => {
    const release = gate();
    let runs = 0;
    let sawStopping = false;
    const task = startBackgroundTask({
      name: 'test',
      intervalMs: 0,
      run: async (isStopping) => {
        runs++;
        await release.opened;
        sawStopping = isStopping();
      },
    });
    await delay(5);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await delay(10);
    expect(stopped).toBe(false);
    release.open();
    await stopping;
    expect(sawStopping).toBe(true);
    expect(runs).toBe(1);
    expect(await task.runNow()).toBeUndefined();
  });

  it('stop() gives up on a run that outlasts stopTimeoutMs', async () => {
    const task = startBackgroundTask({ name: 'test', intervalMs: 0, stopTimeoutMs: 30, run: () => new Promise<void>(() => {}) });
    await delay(5);
    const started = Date.now();
    await task.stop();
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
