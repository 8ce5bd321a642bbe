import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecret } from './resolve-secret.ts';
import { loadConfig } from './load-config.ts';
import { openStore } from '../store/open-store.ts';
import { createTestDatabase, createTestStore } from '../../test/support/test-store.ts';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'sendtrail-secret-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('the installation secret', () => {
  it('is SENDTRAIL_SECRET when set', async () => {
    const store = await createTestStore('pglite');
    cleanups.push(() => store.close());
    const config = loadConfig({ SENDTRAIL_SECRET: 'a-secret-set-by-the-operator', SENDTRAIL_DATA_DIR: await tempDir() });
    expect(await resolveSecret(config, store)).toBe('a-secret-set-by-the-operator');
  });

  it('on PGlite is generated once into the data dir and kept across restarts', async () => {
    const store = await createTestStore('pglite');
    cleanups.push(() => store.close());
    const dir = await tempDir();
    const config = loadConfig({ SENDTRAIL_DATA_DIR: dir });
    const first = await resolveSecret(config, store);
    expect(first).toHaveLength(43);
    expect((await readFile(join(dir, 'secret'), 'utf8')).trim()).toBe(first);
    expect(await resolveSecret(config, store)).toBe(first);
  });

  it('on PostgreSQL is shared by every process on the database, whatever their data dirs', async () => {
    const { url, drop } = await createTestDatabase();
    cleanups.push(drop);
    const [a, b] = await Promise.all([openStore({ databaseUrl: url }), openStore({ databaseUrl: url, migrate: false })]);
    cleanups.push(() => a.close(), () => b.close());
    // Two processes starting at once, each with its own machine's data dir.
    const [secretA, secretB] = await Promise.all([
      resolveSecret(loadConfig({ SENDTRAIL_DATA_DIR: await tempDir(), DATABASE_URL: url }), a),
      resolveSecret(loadConfig({ SENDTRAIL_DATA_DIR: await tempDir(), DATABASE_URL: url }), b),
    ]);
    expect(secretA).toHaveLength(43);
    expect(secretB).toBe(secretA);
  });
});
