// The default project and its first API key, created once per installation, even when two
// processes start at once on one empty PostgreSQL.
import { describe, expect, it } from 'vitest';
import { createTestDatabase, createTestStore, STORE_KINDS } from '../../test/support/test-store.ts';
import { openStore } from '../store/open-store.ts';
import { ensureDefaultProject } from './default-project.ts';

describe.each(STORE_KINDS)('the default project on %s', (kind) => {
  it('is created with one API key at the first start only, and seeds a configured key once', async () => {
    const store = await createTestStore(kind);
    try {
      const first = await ensureDefaultProject(store.db);
      expect(first.createdKey).toMatch(/^st_/);
      expect(await ensureDefaultProject(store.db)).toEqual({ projectId: first.projectId });
      const seeded = 'st_seeded_key_for_the_default_project_01';
      expect(await ensureDefaultProject(store.db, seeded)).toEqual({ projectId: first.projectId });
      expect(await ensureDefaultProject(store.db, seeded)).toEqual({ projectId: first.projectId });
      expect(await store.db.selectFrom('api_keys').select('name').orderBy('created_at').execute()).toEqual([{ name: 'default' }, { name: 'seeded' }]);
    } finally {
      await store.close();
    }
  });
});

describe('two processes starting at once on one empty PostgreSQL', () => {
  it('create one default project and one key, returned to one of them', async () => {
    for (let round = 0; round < 5; round++) {
      const { url, drop } = await createTestDatabase();
      const [a, b] = [await openStore({ databaseUrl: url }), await openStore({ databaseUrl: url })];
      try {
        const seeded = round % 2 ? 'st_seeded_key_for_both_processes_000001' : undefined;
        const results = await Promise.all([ensureDefaultProject(a.db, seeded), ensureDefaultProject(b.db, seeded)]);
        expect(results[0].projectId).toBe(results[1].projectId);
        expect(results.filter((r) => r.createdKey !== undefined)).toHaveLength(seeded ? 0 : 1);
        expect(await a.db.selectFrom('projects').select('id').execute()).toHaveLength(1);
        expect(await a.db.selectFrom('api_keys').select('id').execute()).toHaveLength(1);
      } finally {
        await a.close();
        await b.close();
        await drop();
      }
    }
  }, 120_000);
});
