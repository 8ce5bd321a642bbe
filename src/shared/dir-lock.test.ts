import { afterEach, describe, expect, it } from 'vitest';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DirectoryLockedError, lockDirectory } from './dir-lock.ts';

const BUSY = 'busy: someone else has it';

// Another process that takes the lock on `dir` and keeps it until it is killed.
async function lockInChild(dir: string): Promise<ChildProcess> {
  const module = new URL('./dir-lock.ts', import.meta.url).href;
  const child = fork('-', [], {
    execArgv: ['--import', 'tsx', '--input-type=module', '-e', `
      const { lockDirectory } = await import(${JSON.stringify(module)});
      await lockDirectory(${JSON.stringify(dir)}, 'thing', 'busy');
      process.send('locked');
      setInterval(() => {}, 1000);
    `],
  });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the locking child exited with ${code}`)));
  });
  return child;
}

describe('lockDirectory', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) c.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses a second holder with the caller\'s message, and is free again once released', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-lock-'));
    const release = await lockDirectory(dir, 'thing', BUSY);
    const second = await lockDirectory(dir, 'thing', BUSY).catch((e: unknown) => e);
    expect(second).toBeInstanceOf(DirectoryLockedError);
    expect((second as Error).message).toBe(BUSY);
    // Another name is another lock.
    await (await lockDirectory(dir, 'other', BUSY))();
    await release();
    await (await lockDirectory(dir, 'thing', BUSY))();
  });

  it('refuses while another live process holds it, and takes it at once when that process was killed -9', async () => {
    dir = await mkdtemp(join(tmpdir(), 'sendtrail-lock-'));
    const child = await lockInChild(dir);
    children.push(child);
    await expect(lockDirectory(dir, 'thing', BUSY)).rejects.toThrow(BUSY);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    // Well before the lock would go stale (15 s): the dead owner's pid gives it away.
    const started = Date.now();
    const release = await lockDirectory(dir, 'thing', BUSY);
    expect(Date.now() - started).toBeLessThan(5000);
    await release();
  }, 30_000);
});
