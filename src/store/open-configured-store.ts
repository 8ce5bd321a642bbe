// Opens the store the configuration names: PostgreSQL with DATABASE_URL, else embedded PGlite.
import type { Config } from '../config/schema.ts';
import { openStore, type Store } from './open-store.ts';

export function openConfiguredStore(config: Config): Promise<Store> {
  return openStore(
    config.DATABASE_URL
      ? { databaseUrl: config.DATABASE_URL }
      : { dataDir: config.SENDTRAIL_DATA_DIR, pgliteSharedBuffers: config.PGLITE_SHARED_BUFFERS },
  );
}
