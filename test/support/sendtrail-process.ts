// Runs Sendtrail as a child process (`sendtrail start`), the way an operator would: for tests
// that need several processes, a kill -9, or memory measured from outside.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;
// What ships: the compiled CLI behind bin/sendtrail.js (the global setup builds dist/ when stale).
const CLI = 'bin/sendtrail.js';
/**
 * Node flags of `npm start` and bin/sendtrail.js (node-flags.test.ts keeps the three alike). A
 * small young generation and an old generation collected at 1.5x its live size keep garbage from
 * adding 100-200 MB of RSS while a large campaign expands and sends (docs/benchmarks.md); they cost
 * ~5% CPU, where --optimize-for-size cost 40%. A worker thread refuses them (smtp-thread-client.ts).
 */
export const NODE_FLAGS = ['--max-semi-space-size=4', '--heap-growing-percent=50'];

export type SendtrailEnv = Record<string, string>;

export type SendtrailProcess = {
  pid: number;
  /** Base URL of the API; undefined for a process without the api role. */
  url: string | undefined;
  /** The last output of the child, for error reports. */
  output(): string;
  /** Exit code or signal once the child has ended, else undefined. */
  ended(): string | undefined;
  /** SIGTERM, waiting for in-flight work; SIGKILL after 60 s. */
  stop(): Promise<void>;
  /** kill -9: no chance to finish anything. */
  kill(): Promise<void>;
};

/** Runs a one-shot `sendtrail <args>` command (e.g. `domains add`) with the same environment. */
export async function runSendtrailCommand(env: SendtrailEnv, args: string[], cwd = REPO_ROOT): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [...NODE_FLAGS, CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
  });
  return stdout;
}

export async function startSendtrailProcess(
  env: SendtrailEnv,
  /** cwd: the tree to run, built (the benchmark runs a snapshot of it). */
  options: { roles?: string; cpuProfileDir?: string; cwd?: string; startTimeoutMs?: number } = {},
): Promise<SendtrailProcess> {
  const port = await freePort();
  const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const roles = options.roles ? ['--roles', options.roles] : [];
  const child = spawn(process.execPath, [...NODE_FLAGS, ...profile, CLI, 'start', ...roles], {
    cwd: options.cwd ?? REPO_ROOT,
    // The inbound role runs too: on its own port, so parallel processes do not fight over 2525.
    // A test that talks to the inbound server names its port; else any free one.
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1', INBOUND_SMTP_PORT: env.INBOUND_SMTP_PORT ?? String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const hasApi = !options.roles || options.roles.split(',').includes('api');
  const url = hasApi ? `http://127.0.0.1:${port}` : undefined;
  try {
    await waitUntil(() => /Sendtrail started/.test(tail), child, options.startTimeoutMs);
    if (url) await waitUntil(() => fetch(`${url}/healthz`).then((r) => r.ok, () => false), child, options.startTimeoutMs);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`${(err as Error).message}\n--- sendtrail output ---\n${tail}`);
  }
  const ended = () => (child.exitCode !== null ? `exit code ${child.exitCode}` : child.signalCode ?? undefined);
  return { pid: child.pid!, url, output: () => tail, ended, stop: () => stop(child), kill: () => kill(child) };
}

async function waitUntil(check: () => boolean | Promise<boolean>, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sendtrail exited with code ${child.exitCode} while starting`);
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sendtrail did not start within ${timeoutMs} ms`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('exit', () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

/** A port free right now: the start-up banner is no reliable way to learn a PORT=0 port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resident memory of a process in MB, and the kernel's high-water mark of it (VmHWM). */
export function memoryOf(pid: number): { rssMb: number; hwmMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMb: kb('VmRSS') / 1024, hwmMb: kb('VmHWM') / 1024 };
  } catch {
    return undefined;
  }
}
