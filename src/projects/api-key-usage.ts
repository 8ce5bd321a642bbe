// When each API key was last used, written at most once a minute per key in this process: the send
// and tracking paths are benchmarked in thousands of requests a second, and a write per request
// would cost each of them a statement (and, on PGlite, the one connection for its duration).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { touchApiKey } from './api-keys.ts';

export const LAST_USED_RESOLUTION_MS = 60_000;

export type ApiKeyUsage = {
  /** Records a use of the key now; writes only when this process has not written it for a minute. */
  record(keyId: string): Promise<void>;
};

export function createApiKeyUsage(db: Kysely<Database>, now: () => Date, resolutionMs = LAST_USED_RESOLUTION_MS): ApiKeyUsage {
  // One entry per key used through this process: a project has few keys, unknown keys never get here.
  const writtenAt = new Map<string, number>();
  return {
    async record(keyId) {
      const at = now();
      const last = writtenAt.get(keyId);
      if (last !== undefined && at.getTime() - last < resolutionMs) return;
      // Set before the write, so the requests that arrive while it runs do not write too.
      writtenAt.set(keyId, at.getTime());
      try {
        await touchApiKey(db, keyId, at, resolutionMs);
      } catch (err) {
        writtenAt.delete(keyId);
        throw err;
      }
    },
  };
}
