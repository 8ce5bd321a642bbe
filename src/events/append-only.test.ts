// The events log is append-only (migration 014), on PGlite and PostgreSQL: the database refuses
// every UPDATE, DELETE and TRUNCATE of events, even one that would touch no row, while appending
// goes on as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { appendEvents } from './append-events.ts';
import { listEmailEvents } from './events.repository.ts';
import { reclassifiedEvent } from './hit-verdicts.ts';

describe.each(STORE_KINDS)('append-only events on %s', (kind) => {
  let store: TestStore;
  const projectId = newId();
  const emailId = newId();
  beforeAll(async () => {
    store = await createTestStore(kind);
    await appendEvents(store.db, [{ projectId, emailId, type: 'open', hitId: `h-${emailId}`, metadata: { counted: true } }]);
  });
  afterAll(async () => store?.close());

  const refused = /events are append-only: (UPDATE|DELETE|TRUNCATE) refused/;

  it('refuses an UPDATE, whether it touches a row or none', async () => {
    await expect(sql`UPDATE events SET metadata = '{"counted": false}'::jsonb WHERE email_id = ${emailId}`.execute(store.db)).rejects.toThrow(/UPDATE refused/);
    await expect(store.db.updateTable('events').set({ created_at: new Date(0) }).where('id', '<', 0).execute()).rejects.toThrow(refused);
  });

  it('refuses a DELETE, whether it touches a row or none', async () => {
    await expect(sql`DELETE FROM events WHERE email_id = ${emailId}`.execute(store.db)).rejects.toThrow(/DELETE refused/);
    await expect(store.db.deleteFrom('events').where('id', '<', 0).execute()).rejects.toThrow(refused);
  });

  it('refuses a TRUNCATE', async () => {
    await expect(sql`TRUNCATE events`.execute(store.db)).rejects.toThrow(/TRUNCATE refused/);
  });

  it('keeps every event through the refusals, and appends as before', async () => {
    const [hit] = await listEmailEvents(store.db, emailId);
    expect(hit).toMatchObject({ event_type: 'open', metadata: { counted: true } });
    await appendEvents(store.db, [
      reclassifiedEvent({ eventId: Number(hit!.id), projectId, emailId, kind: 'open' }, { counted: false, why: 'scanner' }),
      { projectId, emailId, type: 'click', metadata: { counted: true }, at: new Date('2025-05-01T08:00:00Z') },
    ]);
    const events = await listEmailEvents(store.db, emailId);
    expect(events.map((e) => [e.event_type, e.metadata])).toEqual([
      ['open', { counted: true }],
      ['reclassified', { supersedes: Number(hit!.id), kind: 'open', counted: false, why: 'scanner' }],
      ['click', { counted: true }],
    ]);
    expect(new Date(events[2]!.created_at).toISOString()).toBe('2025-05-01T08:00:00.000Z');
  });
});
