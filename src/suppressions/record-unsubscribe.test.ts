// An unsubscribe, by link or by mailto, is one kind of fact: one event per email, one suppression.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { createEmails } from '../../test/support/tracking-fixtures.ts';
import { recordUnsubscribe } from './record-unsubscribe.ts';

describe.each(STORE_KINDS)('recording an unsubscribe on %s', (kind) => {
  let store: TestStore;
  let projectId: string;
  let emailIds: string[];
  beforeAll(async () => {
    store = await createTestStore(kind);
    ({ projectId, emailIds } = await createEmails(store.db, 2));
  });
  afterAll(async () => store?.close());

  const eventsOf = (emailId: string) =>
    store.db.selectFrom('events').select(['event_type', 'metadata', 'hit_id']).where('email_id', '=', emailId).where('event_type', '=', 'unsubscribe').execute();
  const suppression = (email: string) =>
    store.db.selectFrom('suppressions').select(['reason', 'source_email_id']).where('project_id', '=', projectId).where('email', '=', email).execute();

  it('writes a link and a mailto unsubscribe the same way, and a second one for the same email changes nothing', async () => {
    const [byLink, byMail] = emailIds as [string, string];
    await store.db.transaction().execute((trx) =>
      recordUnsubscribe(trx, { projectId, emailId: byLink, to: 'person0@example.com', details: { method: 'POST', ua: 'Mozilla/5.0', ip: '203.0.113.7' } }));
    // The same person then also mails the List-Unsubscribe address.
    await store.db.transaction().execute((trx) =>
      recordUnsubscribe(trx, { projectId, emailId: byLink, to: 'person0@example.com', details: { method: 'mailto', inbound_message_id: 'm-1' } }));
    await store.db.transaction().execute((trx) =>
      recordUnsubscribe(trx, { projectId, emailId: byMail, to: 'person1@example.com', details: { method: 'mailto', inbound_message_id: 'm-2' } }));

    expect(await eventsOf(byLink)).toEqual([
      { event_type: 'unsubscribe', hit_id: `unsubscribe:${byLink}`, metadata: { method: 'POST', ua: 'Mozilla/5.0', ip: '203.0.113.7' } },
    ]);
    expect(await eventsOf(byMail)).toEqual([
      { event_type: 'unsubscribe', hit_id: `unsubscribe:${byMail}`, metadata: { method: 'mailto', inbound_message_id: 'm-2' } },
    ]);
    expect(await suppression('person0@example.com')).toEqual([{ reason: 'unsubscribe', source_email_id: byLink }]);
    expect(await suppression('person1@example.com')).toEqual([{ reason: 'unsubscribe', source_email_id: byMail }]);
  });
});
