// Repeated soft bounces suppress an address at SOFT_BOUNCE_SUPPRESS_COUNT, whether the worker's own
// retries ran out or a DSN reported them; below the count the address is still sent to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './support/test-app.ts';
import { startTestWorker, eventually } from './support/test-worker.ts';
import { STORE_KINDS } from './support/test-store.ts';

describe.each(STORE_KINDS)('soft bounce suppression on %s', (kind) => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    worker = await startTestWorker(t.store, { SOFT_BOUNCE_SUPPRESS_COUNT: '2' });
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  const sendAndSettle = async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/emails', headers: t.auth, payload: { from: 'a@example.com', to: 'softbounce@simulator.test', subject: 's', text: 't' } });
    const id = res.json().data[0].id as string;
    return eventually(async () => {
      const e = (await t.app.inject({ url: `/v1/emails/${id}`, headers: t.auth })).json();
      return ['bounced', 'rejected'].includes(e.status) ? { id, status: e.status as string } : undefined;
    });
  };

  it('the second soft bounce of an address (count 2) suppresses it, and the third email is rejected', async () => {
    expect((await sendAndSettle()).status).toBe('bounced');
    const list = async () => (await t.app.inject({ url: '/v1/suppressions?email=softbounce@simulator.test', headers: t.auth })).json().data;
    expect(await list()).toEqual([]);
    expect((await sendAndSettle()).status).toBe('bounced');
    expect((await list())[0]).toMatchObject({ reason: 'soft_bounces' });
    expect((await sendAndSettle()).status).toBe('rejected');
  });
});
