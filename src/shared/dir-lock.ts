// An exclusive, cross-process lock on a directory: for state that one process at a time may own
// (PGlite's files, the tracking spool), so that a second process gets a clear error at start
// instead of silently losing or corrupting the first one's writes.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';

/** Another live process holds the lock; the message says what to do about it. */
export class DirectoryLockedError extends Error {}

/**
 * Takes `<dir>/<name>.lock` (and writes our pid to `<name>.pid`), or throws DirectoryLockedError
 * with `inUseMessage`. Resolves to the release.
 */
export async function lockDirectory(dir: string, name: string, inUseMessage: string): Promise<() => Promise<void>> {
  const lockfilePath = join(dir, `${name}.lock`);
  const pidFile = join(dir, `${name}.pid`);
  const lock = () =>
    // Locked under `<dir>/<name>`, not `dir`: proper-lockfile keeps one lock per path in a process,
    // and one directory may hold several (the PGlite data dir holds the tracking spool too).
    lockfile.lock(join(dir, name), {
      realpath: false,
      lockfilePath,
      stale: 15_000,
      update: 5_000,
      // Another process may now believe the directory is free and write to it: stopping is the
      // only way not to mix our writes with its.
      onCompromised: (err) => {
        console.error(`sendtrail: lost the lock ${lockfilePath}: ${err.message}`);
        process.exit(1);
      },
    });
  let release: () => Promise<void>;
  try {
    release = await lock();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
    // After a crash (kill -9) the lock would only go stale in 15 s; the owner's pid tells at once.
    if (!(await ownerIsDead(pidFile))) throw new DirectoryLockedError(inUseMessage);
    await rm(lockfilePath, { recursive: true, force: true });
    release = await lock();
  }
  await writeFile(pidFile, `${process.pid}\n`);
  return release;
}

async function ownerIsDead(pidFile: string): Promise<boolean> {
  const pid = Number((await readFile(pidFile, 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 0) return false;
  // Our own pid: this process holds the lock already (or the owner had our pid in another pid
  // namespace, a container sharing the volume): never take it over.
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
