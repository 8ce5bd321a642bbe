// The suppression list API on both stores: a user reads, adds and removes entries, only in their own
// project, and sending to a listed address (in any letter case) is rejected with the reason.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { startTestWorker, eventually } from '../../../test/support/test-worker.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';

describe.each(STORE_KINDS)('the suppression list API on %s', (kind) => {
  let t: TestApp;
  let otherAuth: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    otherAuth = { authorization: `Bearer ${(await createApiKey(t.store.db, other, 'other')).key}` };
  });
  afterAll(async () => t?.close());

  const add = (payload: unknown, headers = t.auth) => t.app.inject({ method: 'POST', url: '/v1/suppressions', headers, payload: payload as object });
  const list = async (query = '', headers = t.auth) => (await t.app.inject({ url: `/v1/suppressions${query}`, headers })).json();

  it('adds addresses (lower-cased, duplicates once) and lists them by address', async () => {
    const res = await add({ email: ['Zed@Example.org', 'amy@example.org', 'zed@example.org'] });
    expect(res.statusCode).toBe(201);
    expect(res.json().data).toEqual([
      { email: 'zed@example.org', reason: 'manual', added: true },
      { email: 'amy@example.org', reason: 'manual', added: true },
    ]);
    expect((await add({ email: 'AMY@example.org' })).json().data[0].added).toBe(false);
    const page = await list('?reason=manual');
    expect(page.data.map((s: { email: string }) => s.email)).toEqual(['amy@example.org', 'zed@example.org']);
  });

  it('pages with a cursor', async () => {
    await add({ email: ['p1@example.org', 'p2@example.org', 'p3@example.org'] });
    const first = await list('?limit=2');
    const second = await list(`?limit=2&cursor=${first.next_cursor}`);
    expect(first.data).toHaveLength(2);
    expect(second.data[0].email > first.data[1].email).toBe(true);
  });

  it('refuses what is not an address, an unknown reason and unknown fields with 4xx', async () => {
    expect((await add({ email: 'not-an-address' })).json().error.code).toBe('invalid_recipient');
    expect((await add({ email: 'a@example.org', reason: 'because' })).statusCode).toBe(400);
    expect((await add({ emails: 'a@example.org' })).statusCode).toBe(400);
    expect((await t.app.inject({ url: '/v1/suppressions?limit=0', headers: t.auth })).statusCode).toBe(400);
  });

  it("never shows or removes another project's entries", async () => {
    await add({ email: 'private@example.org' });
    expect((await list('?email=private@example.org', otherAuth)).data).toEqual([]);
    const del = await t.app.inject({ method: 'DELETE', url: '/v1/suppressions/private@example.org', headers: otherAuth });
    expect(del.statusCode).toBe(404);
    expect((await list('?email=private@example.org')).data).toHaveLength(1);
  });

  it('removes an entry, case-insensitively; removing it again is 404', async () => {
    await add({ email: 'gone@example.org' });
    const del = await t.app.inject({ method: 'DELETE', url: '/v1/suppressions/GONE@example.org', headers: t.auth });
    expect(del.json()).toEqual({ email: 'gone@example.org', deleted: true });
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/suppressions/gone@example.org', headers: t.auth })).json().error.code).toBe('not_found');
  });

  it('sending to a suppressed address in another letter case is rejected with the reason', async () => {
    await add({ email: 'Blocked@Simulator.test' });
    const worker = await startTestWorker(t.store);
    try {
      const res = await t.app.inject({ method: 'POST', url: '/v1/emails', headers: t.auth, payload: { from: 'a@example.com', to: 'BLOCKED@simulator.test', subject: 's', text: 't' } });
      const id = res.json().data[0].id;
      const rejected = await eventually(async () => {
        const events = (await t.app.inject({ url: `/v1/emails/${id}/events`, headers: t.auth })).json().data;
        return events.find((e: { event_type: string }) => e.event_type === 'rejected');
      });
      expect(rejected.metadata).toMatchObject({ reason: 'suppressed', suppression_reason: 'manual' });
    } finally {
      await worker.stop();
    }
  });
});
