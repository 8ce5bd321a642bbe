// Opens the store the configuration names: PostgreSQL with DATABASE_URL, else embedded PGlite.
import { openStore, type Store } from './open-store.ts';

/** The configuration keys that choose the store (a Config has them; the store needs no more of it). */
export type StoreSettings = { DATABASE_URL: string; SENDTRAIL_DATA_DIR: string; PGLITE_SHARED_BUFFERS: string };

export function openConfiguredStore(config: StoreSettings): Promise<Store> {
  return openStore(
    config.DATABASE_URL
      ? { databaseUrl: config.DATABASE_URL }
      : { dataDir: config.SENDTRAIL_DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS },
  );
}
