// The scheduler role alone (`sendtrail start --roles scheduler`): it folds what other processes write
// into the rollups, woken by the events' announcements, on both stores.
import { afterEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/load-config.ts';
import { createMetrics } from '../metrics/metrics.ts';
import { ensureDefaultProject } from '../projects/default-project.ts';
import { appendEvents } from '../events/index.ts';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { eventually } from '../../test/support/test-worker.ts';
import { startRoles } from './index.ts';

describe.each(STORE_KINDS)('the scheduler role on %s', (kind) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  it('runs alone and brings the stats up to date with events written after it started', async () => {
    store = await createTestStore(kind);
    const { projectId } = await ensureDefaultProject(store.db);
    const config = loadConfig({ LOG_LEVEL: 'silent', PROVIDER_MX_LOOKUP: 'false' });
    const running = await startRoles(['scheduler'], { config, store, secret: 'scheduler-test-secret', projectId, metrics: createMetrics(), workerId: 'scheduler-test' });
    try {
      expect(running.url).toBeUndefined();
      const id = randomUUID();
      await store.db.insertInto('emails').values({ id, project_id: projectId, from_address: 'a@shop.example', to_address: 'ann@gmail.com', status: 'queued', priority: 1, message_id: `<${id}@shop.example>` }).execute();
      await appendEvents(store.db, [{ projectId, emailId: id, type: 'queued' }, { projectId, emailId: id, type: 'sent' }, { projectId, emailId: id, type: 'delivered' }]);
      const row = await eventually(async () => {
        const r = await store!.db.selectFrom('stats_hourly').select(['provider', 'sending_domain', 'accepted', 'sent', 'delivered']).where('tag', '=', '').executeTakeFirst();
        return r && Number(r.delivered) === 1 && r;
      }, 15_000);
      expect({ ...row, accepted: Number(row.accepted), sent: Number(row.sent) }).toMatchObject({ provider: 'gmail', sending_domain: 'shop.example', accepted: 1, sent: 1 });
    } finally {
      await running.stop();
    }
  });
});
