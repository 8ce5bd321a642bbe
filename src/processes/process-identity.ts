// Who this process is, for its row in the processes table and the leases it holds.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** Sendtrail's version, from the package.json beside src/ (and dist/). */
export const SENDTRAIL_VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
})();

/**
 * host:pid plus a random suffix: readable in the events a worker writes, and never the name of an
 * earlier process, even where pids repeat (a container restarted keeps its host name and pid 1), so
 * a dead process's leases are never mistaken for a live one's.
 */
export function newProcessId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}
