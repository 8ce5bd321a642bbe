// Once per run: build dist/ when stale (the process tests run it), build a migrated PGlite snapshot
// (initdb costs seconds; loading a snapshot ~0.3 s) and check that the PostgreSQL the store suites
// need is reachable: missing, the run fails.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openStore } from '../../src/store/open-store.ts';
import { ensureBuilt } from './ensure-built.ts';
import { REPO_ROOT } from './sendtrail-process.ts';

export const SNAPSHOT_ENV = 'SENDTRAIL_TEST_PGLITE_SNAPSHOT';

export default async function setup() {
  ensureBuilt(REPO_ROOT);
  const pglite = await PGlite.create();
  const store = await openStore({ pglite });
  await store.close();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  const file = join(tmpdir(), `sendtrail-pglite-snapshot-${process.pid}.tar`);
  await writeFile(file, Buffer.from(await dump.arrayBuffer()));
  process.env[SNAPSHOT_ENV] = file;

  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    throw new Error(`The PostgreSQL suites need a server at ${url} (set TEST_DATABASE_URL): ${String(err)}`);
  } finally {
    await client.end().catch(() => {});
  }
}
