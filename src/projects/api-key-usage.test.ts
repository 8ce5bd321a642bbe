// A key's last use is written once a minute per process, however many requests use it: the send
// and tracking paths never pay a write per request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KyselyPlugin } from 'kysely';
import { createTestStore, type TestStore } from '../../test/support/test-store.ts';
import { ensureDefaultProject } from './default-project.ts';
import { createApiKey } from './api-keys.ts';
import { createApiKeyUsage } from './api-key-usage.ts';

describe('recording when a key was last used', () => {
  let store: TestStore;
  let projectId: string;
  beforeAll(async () => {
    store = await createTestStore('pglite');
    projectId = (await ensureDefaultProject(store.db)).projectId;
  });
  afterAll(async () => store?.close());

  it('writes once for a burst of uses, again only a minute later, and per key', async () => {
    let updates = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => (args.node.kind === 'UpdateQueryNode' && updates++, args.node),
      transformResult: async (args) => args.result,
    };
    let now = new Date('2030-01-01T00:00:00Z');
    const usage = createApiKeyUsage(store.db.withPlugin(counting), () => now);
    const a = await createApiKey(store.db, projectId, 'a');
    const b = await createApiKey(store.db, projectId, 'b');

    await Promise.all(Array.from({ length: 50 }, () => usage.record(a.id)));
    expect(updates).toBe(1);
    now = new Date(now.getTime() + 59_000);
    for (let i = 0; i < 50; i++) await usage.record(a.id);
    expect(updates).toBe(1);
    await usage.record(b.id);
    expect(updates).toBe(2);
    now = new Date(now.getTime() + 1_000);
    await usage.record(a.id);
    expect(updates).toBe(3);
    const rows = await store.db.selectFrom('api_keys').select(['id', 'last_used_at']).where('id', 'in', [a.id, b.id]).execute();
    expect(rows.find((r) => r.id === a.id)?.last_used_at?.toISOString()).toBe('2030-01-01T00:01:00.000Z');
  });
});
