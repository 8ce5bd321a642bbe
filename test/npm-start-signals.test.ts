// `npm start` stopped the way systemd, docker or a terminal stops it: a SIGTERM or SIGINT to the
// npm process. npm hands the signal to its script's shell, which does not pass it on, so unless the
// script execs node, Sendtrail would keep running (and keep its port) after npm has gone.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, REPO_ROOT } from './support/sendtrail-process.ts';

/** Processes of a process group: npm starts here as a group leader, and its children stay in its group. */
async function processGroup(pgid: number): Promise<Array<{ pid: number; command: string }>> {
  const found: Array<{ pid: number; command: string }> = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name, which is in parentheses and may hold spaces: state, ppid, pgrp.
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (pgrp !== pgid) continue;
      const command = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).split('\0').join(' ').trim();
      if (command) found.push({ pid: Number(entry), command }); // a zombie has no command line
    } catch {
      // Ended while we looked.
    }
  }
  return found;
}

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

describe.each(['SIGTERM', 'SIGINT'] as const)('npm start stopped with %s', (signal) => {
  let npm: ChildProcess | undefined;
  let dataDir: string | undefined;

  afterEach(async () => {
    // Whatever the test found, leave nothing of this group running.
    if (npm?.pid) for (const p of await processGroup(npm.pid)) process.kill(p.pid, 'SIGKILL');
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('stops Sendtrail: npm exits, no process of it survives, the port is free', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'sendtrail-npm-start-'));
    const port = await freePort();
    npm = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: { ...process.env, SENDTRAIL_DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', INBOUND_SMTP_PORT: String(await freePort()), LOG_LEVEL: 'warn' },
      // Its own process group, so that the test can find every process npm started.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    npm.stdout!.on('data', (chunk: Buffer) => (output += chunk));
    npm.stderr!.on('data', (chunk: Buffer) => (output += chunk));
    const exited = new Promise<string>((resolve) => npm!.once('exit', (code, sig) => resolve(sig ?? `exit code ${code}`)));

    const started = await waitFor(
      async () => /Sendtrail started/.test(output) && (await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.ok, () => false)),
      120_000,
    );
    expect(started, output).toBe(true);
    expect((await processGroup(npm.pid!)).some((p) => p.command.includes('bin/sendtrail.js start'))).toBe(true);

    npm.kill(signal);
    // npm waits for its script and exits with its code: Sendtrail finished its work and exited 0.
    expect(await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running after 60 s'), 60_000))])).toBe('exit code 0');
    await waitFor(async () => (await processGroup(npm!.pid!)).length === 0, 10_000);
    expect(await processGroup(npm.pid!), output).toEqual([]);
    expect(await portIsFree(port)).toBe(true);
    expect(output).toContain('Stopping: finishing in-flight deliveries');
  }, 200_000);
});
