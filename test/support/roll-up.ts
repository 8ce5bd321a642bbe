// Brings the rollups up to date now, as the scheduler role would within a second: for tests that
// read stats right after writing events. Providers by name only (no DNS for real domains here).
import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { catchUpRollups } from '../../src/analytics/rollups/index.ts';
import { clientOf } from '../../src/analytics/clients.ts';
import { createProviderLookup } from '../../src/analytics/providers.ts';

export async function rollUpNow(db: Kysely<Database>): Promise<void> {
  await catchUpRollups({ db, providers: createProviderLookup({ db, lookupMx: false }), clientOf });
}
