// Runs Sendtrail as a child process (`sendtrail start`), the way an operator would, and watches its
// memory and CPU from outside through /proc.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { onInterrupt } from './cleanup.ts';

export const REPO_ROOT = new URL('../../', import.meta.url).pathname;
const CLI = 'src/cli/main.ts';
// Where `sendtrail` runs from: the working tree, or a snapshot of it (snapshot.ts).
let appRoot = REPO_ROOT;
export const runSendtrailFrom = (root: string) => (appRoot = root);

export type SendtrailEnv = Record<string, string>;

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
export async function runSendtrailCommand(env: SendtrailEnv, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CLI, ...args], {
    cwd: appRoot,
    env: { ...process.env, ...env },
  });
  return stdout;
}

export async function startSendtrail(env: SendtrailEnv, options: { cpuProfileDir?: string } = {}): Promise<SendtrailProcess> {
  const port = await freePort();
  const profile = options.cpuProfileDir ? ['--cpu-prof', '--cpu-prof-dir', options.cpuProfileDir] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', CLI, 'start'], {
    cwd: appRoot,
    // The inbound role runs too: its own free port, so parallel processes do not fight over 2525.
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', INBOUND_SMTP_PORT: String(await freePort()) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const forget = onInterrupt(() => stop(child));
  let tail = '';
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHealth(url, child);
  } catch (err) {
    child.kill('SIGKILL');
    forget();
    throw new Error(`${(err as Error).message}\n--- sendtrail output ---\n${tail}`);
  }
  const ended = () => (child.exitCode !== null ? `exit code ${child.exitCode}` : child.signalCode ?? undefined);
  return { pid: child.pid!, url, output: () => tail, ended, stop: () => stop(child).finally(forget) };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sendtrail exited with code ${child.exitCode} before /healthz answered`);
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`sendtrail did not answer ${url}/healthz within ${timeoutMs} ms`);
}

// SIGTERM lets it finish in-flight deliveries (and write a CPU profile when asked); a hung child
// is killed after 60 s.
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

/** A port free right now: PORT=0 would work, but the start-up banner is no reliable way to learn it. */
function freePort(): Promise<number> {
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
