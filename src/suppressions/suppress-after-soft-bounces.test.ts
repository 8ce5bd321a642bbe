// Owns the tests of the soft-bounce policy on both stores: which bounces count, at what count an
// address is suppressed, and what an address already on the list keeps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { newId } from '../shared/ids.ts';
import { appendEvents } from '../events/index.ts';
import { addSuppressions, listSuppressions } from './suppressions.repository.ts';
import { suppressAfterSoftBounces } from './suppress-after-soft-bounces.ts';

describe.each(STORE_KINDS)('suppressAfterSoftBounces on %s', (kind) => {
  let store: TestStore;
  let projectId: string;
  let otherProjectId: string;
  beforeAll(async () => {
    store = await createTestStore(kind);
    projectId = newId();
    otherProjectId = newId();
    await store.db.insertInto('projects').values([{ id: projectId, name: 'p' }, { id: otherProjectId, name: 'o' }]).execute();
  });
  afterAll(async () => store?.close());

  /** An email to `to` with one bounce event of this type; returns its id. */
  async function bounced(to: string, bounceType: 'soft' | 'hard', project = projectId): Promise<string> {
    const id = newId();
    await store.db.insertInto('emails').values({
      id, project_id: project, from_address: 'a@example.com', to_address: to, subject: 's', text: 't',
      status: 'bounced', priority: 0, message_id: `<${id}@example.com>`,
    }).execute();
    await appendEvents(store.db, [{ projectId: project, emailId: id, type: 'bounced', metadata: { bounce_type: bounceType, reason: 'mailboxfull' } }]);
    return id;
  }
  const reasonOf = async (email: string, project = projectId) =>
    (await listSuppressions(store.db, project, { email, limit: 10 })).rows[0]?.reason;

  it('suppresses an address at the threshold, not before, naming the email that reached it', async () => {
    const first = await bounced('count@example.org', 'soft');
    await suppressAfterSoftBounces(store.db, [first], 2);
    expect(await reasonOf('count@example.org')).toBeUndefined();
    const second = await bounced('count@example.org', 'soft');
    await suppressAfterSoftBounces(store.db, [second], 2);
    const { rows } = await listSuppressions(store.db, projectId, { email: 'count@example.org', limit: 10 });
    expect(rows).toMatchObject([{ email: 'count@example.org', reason: 'soft_bounces', source_email_id: second }]);
  });

  it('counts neither hard bounces nor another project\'s soft bounces', async () => {
    await bounced('mixed@example.org', 'hard');
    await bounced('mixed@example.org', 'soft', otherProjectId);
    const soft = await bounced('mixed@example.org', 'soft');
    await suppressAfterSoftBounces(store.db, [soft], 2);
    expect(await reasonOf('mixed@example.org')).toBeUndefined();
    expect(await reasonOf('mixed@example.org', otherProjectId)).toBeUndefined();
  });

  it('never suppresses with a threshold of 0', async () => {
    const ids = [await bounced('never@example.org', 'soft'), await bounced('never@example.org', 'soft')];
    await suppressAfterSoftBounces(store.db, ids, 0);
    expect(await reasonOf('never@example.org')).toBeUndefined();
  });

  it('decides a batch address by address, and keeps the first reason of an address already listed', async () => {
    const listed = await bounced('listed@example.org', 'soft');
    await addSuppressions(store.db, [{ projectId, email: 'listed@example.org', reason: 'complaint' }]);
    const once = await bounced('once@example.org', 'soft');
    const twice = [await bounced('twice@example.org', 'soft'), await bounced('twice@example.org', 'soft')];
    await suppressAfterSoftBounces(store.db, [listed, once, ...twice], 1);
    expect(await reasonOf('listed@example.org')).toBe('complaint');
    expect(await reasonOf('once@example.org')).toBe('soft_bounces');
    expect(await reasonOf('twice@example.org')).toBe('soft_bounces');
  });
});
