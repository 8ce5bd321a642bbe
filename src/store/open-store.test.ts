import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openStore } from './open-store.ts';

describe('the embedded database', () => {
  // The README's "Durability of the embedded default" rests on this: should PGlite ever sync to
  // disk, this fails, and that paragraph and the start-up warning (src/cli/main.ts) must change.
  it('runs with fsync off, so a power cut can lose its last writes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sendtrail-pglite-'));
    const store = await openStore({ dataDir: dir });
    try {
      const { rows } = await sql<{ fsync: string }>`SHOW fsync`.execute(store.db);
      expect(rows[0]?.fsync).toBe('off');
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
