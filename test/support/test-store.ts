// Fresh, migrated stores for tests: PGlite from the run's snapshot, PostgreSQL as a new database.
import { cp, mkdtemp, readFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openStore, type Store } from '../../src/store/open-store.ts';

export type StoreKind = 'pglite' | 'postgres';
export const STORE_KINDS: StoreKind[] = ['pglite', 'postgres'];

const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
// What the global setup makes once per run, migrated: a PGlite snapshot for in-process stores, the
// same PGlite data directory on disk, and a PostgreSQL database to copy.
export const PGLITE_SNAPSHOT_ENV = 'SENDTRAIL_TEST_PGLITE_SNAPSHOT';
export const PGLITE_DATA_DIR_ENV = 'SENDTRAIL_TEST_PGLITE_DATA_DIR';
export const PG_TEMPLATE_ENV = 'SENDTRAIL_TEST_PG_TEMPLATE';

export type TestStore = Store & { url?: string };

export async function createTestStore(kind: StoreKind): Promise<TestStore> {
  if (kind === 'pglite') {
    const file = process.env[PGLITE_SNAPSHOT_ENV];
    if (!file) throw new Error('no PGlite snapshot: run tests through vitest (global setup)');
    const pglite = await PGlite.create({ loadDataDir: new Blob([await readFile(file)]) });
    const store = await openStore({ pglite });
    return { ...store, close: async () => { await store.close(); await pglite.close(); } };
  }
  const template = process.env[PG_TEMPLATE_ENV];
  if (!template) throw new Error('no PostgreSQL template: run tests through vitest (global setup)');
  // A copy of the migrated template: migrating here finds nothing left to do.
  const { url, drop } = await createTestDatabase({ template });
  const store = await openStore({ databaseUrl: url });
  return { ...store, url, close: async () => { await store.close(); await drop(); } };
}

/**
 * A new PostgreSQL database: empty, for tests that start their own Sendtrail processes on it (their
 * first start migrates it), or a copy of `template`.
 */
export async function createTestDatabase(options: { template?: string } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `sendtrail_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}${options.template ? ` TEMPLATE ${options.template}` : ''}`);
  } finally {
    await admin.end();
  }
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

/**
 * A new SENDTRAIL_DATA_DIR whose embedded database exists and is migrated already (a copy of the
 * run's): `sendtrail start` on it skips initdb and the migrations, seconds on a busy machine. For
 * tests whose subject is not the first start; those keep an empty directory.
 */
export async function createMigratedDataDir(prefix: string): Promise<string> {
  const pgdata = process.env[PGLITE_DATA_DIR_ENV];
  if (!pgdata) throw new Error('no PGlite data directory: run tests through vitest (global setup)');
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await cp(pgdata, join(dir, 'pgdata'), { recursive: true });
  return dir;
}
