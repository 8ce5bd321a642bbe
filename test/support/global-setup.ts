// Once per run: build dist/ when stale (the process tests run it); make and migrate one PGlite data
// directory, which process tests copy (initdb and the migrations cost a starting process seconds)
// and whose snapshot in-process stores load (~0.3 s); check that the PostgreSQL the store suites
// need is reachable (missing, the run fails) and migrate a template database there, which each
// test's PostgreSQL database is copied from instead of running every migration again.
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openStore } from '../../src/store/open-store.ts';
import { ensureBuilt } from './ensure-built.ts';
import { PG_TEMPLATE_ENV, PGLITE_DATA_DIR_ENV, PGLITE_SNAPSHOT_ENV } from './test-store.ts';
import { REPO_ROOT } from './sendtrail-process.ts';

export default async function setup() {
  ensureBuilt(REPO_ROOT);
  const pgdata = join(tmpdir(), `sendtrail-test-pgdata-${process.pid}`);
  const snapshot = join(tmpdir(), `sendtrail-pglite-snapshot-${process.pid}.tar`);
  const removePglite = () => Promise.all([rm(pgdata, { recursive: true, force: true }), rm(snapshot, { force: true })]);
  await removePglite();
  const pglite = await PGlite.create({ dataDir: pgdata });
  const store = await openStore({ pglite });
  await store.close();
  const dump = await pglite.dumpDataDir('none');
  await pglite.close();
  await writeFile(snapshot, Buffer.from(await dump.arrayBuffer()));
  process.env[PGLITE_SNAPSHOT_ENV] = snapshot;
  process.env[PGLITE_DATA_DIR_ENV] = pgdata;

  const url = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    await client.end().catch(() => {});
    await removePglite();
    throw new Error(`The PostgreSQL suites need a server at ${url} (set TEST_DATABASE_URL): ${String(err)}`);
  }
  // Named after this run: other runs on the same server (other checkouts) keep their own.
  const template = `sendtrail_test_template_${process.pid}`;
  const dropTemplate = () => client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
  try {
    await dropTemplate();
    await client.query(`CREATE DATABASE ${template}`);
    const templateUrl = new URL(url);
    templateUrl.pathname = `/${template}`;
    // Closed before any test copies it: PostgreSQL copies no database that has a session open.
    await (await openStore({ databaseUrl: templateUrl.toString(), poolSize: 1 })).close();
  } catch (err) {
    await dropTemplate().catch(() => {});
    await client.end().catch(() => {});
    await removePglite();
    throw err;
  }
  process.env[PG_TEMPLATE_ENV] = template;
  return async () => {
    await dropTemplate().catch(() => {});
    await client.end().catch(() => {});
    await removePglite();
  };
}
