// Fresh, migrated stores for tests: PGlite from the run's snapshot, PostgreSQL as a new database.
import { readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openStore, type Store } from '../../src/store/open-store.ts';

export type StoreKind = 'pglite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['pglite', 'postgres'];

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export type TestStore = Store & { url?: string };

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const file = process.env.SENDTRAIL_TEST_PGLITE_SNAPSHOT;
    if (!file) throw new Error('no PGlite snapshot: run tests through vitest (global setup)');
    const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(file)]) });
    const store = await openStore({ pglite });
    return { ...store, close: async () => { await store.close(); await pglite.close(); } };
  }
  const { url, drop } = await createTestDatabase();
  const store = await openStore({ databaseUrl: url });
  return { ...store, url, close: async () => { await store.close(); await drop(); } };
}

/** A new empty PostgreSQL database, for tests that start their own Sendtrail processes on it. */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sendtrail_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: ADMIN_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
