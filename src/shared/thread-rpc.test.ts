// The thread RPC that the SMTP sending thread and the tracking commit thread share.
import { afterEach, describe, expect, it } from 'vitest';
import { startThreadRpc, type ThreadRpc } from './thread-rpc.ts';
import type { EchoRequest } from '../../test/support/echo-thread.ts';

const ECHO_THREAD = new URL('../../test/support/echo-thread.ts', import.meta.url);

describe('a thread reached through thread RPC', () => {
  let rpc: ThreadRpc<EchoRequest, string> | undefined;
  afterEach(async () => {
    await rpc?.close();
    rpc = undefined;
  });
  const start = (workerData?: unknown) =>
    (rpc = startThreadRpc<EchoRequest, string>({ name: 'the echo thread', module: ECHO_THREAD, workerData, closeTimeoutMs: 2000 }));

  it('answers each call with its own result, many calls at once', async () => {
    const echo = start();
    const values = Array.from({ length: 200 }, (_, i) => `v${i}`);
    expect(await Promise.all(values.map((value) => echo.call({ op: 'echo', value })))).toEqual(values);
  });

  it("rejects a call with the thread's error, and goes on answering the others", async () => {
    const echo = start();
    await expect(echo.call({ op: 'fail', message: 'the relay said no' })).rejects.toThrow('the relay said no');
    expect(await echo.call({ op: 'echo', value: 'still here' })).toBe('still here');
  });

  it('answers in the order sent when the thread serves one call at a time', async () => {
    const echo = start({ inOrder: true });
    const finished: string[] = [];
    await Promise.all([
      echo.call({ op: 'wait', ms: 60, value: 'slow' }).then((v) => finished.push(v)),
      echo.call({ op: 'wait', ms: 1, value: 'fast' }).then((v) => finished.push(v)),
    ]);
    expect(finished).toEqual(['slow', 'fast']);
  });

  it('fails the calls a dying thread had not answered, then starts a fresh thread with the same setup', async () => {
    const echo = start();
    echo.setup({ op: 'setup', value: 'pool-a' });
    expect(await echo.call({ op: 'setups' })).toBe('pool-a');
    const waiting = echo.call({ op: 'wait', ms: 5000, value: 'never' });
    await expect(echo.call({ op: 'die' })).rejects.toThrow(/the echo thread ended: exit code 3/);
    await expect(waiting).rejects.toThrow(/ended/);
    expect(await echo.call({ op: 'setups' })).toBe('pool-a');
  });

  it('says when its thread cannot load, instead of hanging', async () => {
    const echo = start({ failToLoad: true });
    await expect(echo.ready()).rejects.toThrow(/the echo thread ended: cannot load: no database/);
  });

  it('closes once the thread has answered what it was given; later calls are refused', async () => {
    const echo = start();
    await echo.ready();
    const slow = echo.call({ op: 'wait', ms: 50, value: 'done' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await echo.close();
    expect(await slow).toBe('done');
    expect(echo.isRunning()).toBe(false);
    await expect(echo.call({ op: 'echo', value: 'x' })).rejects.toThrow(/the echo thread is closed/);
  });
});
