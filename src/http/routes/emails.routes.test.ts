import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';

describe.each(STORE_KINDS)('emails API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/emails', headers: { ...t.auth, ...headers }, payload: payload as object });
  const valid = { from: 'shop@example.com', to: 'ann@example.org', subject: 'Hi', text: 'Hello' };

  it('queues one email per recipient and returns their ids', async () => {
    const res = await post({ ...valid, to: ['a@example.org', 'B@Example.org'] });
    expect(res.statusCode).toBe(202);
    const data = res.json().data;
    expect(data.map((d: { to: string }) => d.to)).toEqual(['a@example.org', 'b@example.org']);
    expect(new Set(data.map((d: { id: string }) => d.id)).size).toBe(2);
    const events = await t.app.inject({ url: `/v1/emails/${data[0].id}/events`, headers: t.auth });
    expect(events.json().data.map((e: { event_type: string }) => e.event_type)).toEqual(['queued']);
    expect(Object.keys(events.json().data[0]).sort()).toEqual(['created_at', 'event_type', 'id', 'metadata']);
  });

  it('requires an API key and refuses an unknown one', async () => {
    expect((await t.app.inject({ method: 'POST', url: '/v1/emails', payload: valid })).statusCode).toBe(401);
    const res = await t.app.inject({ url: '/v1/emails', headers: { authorization: 'Bearer st_nope' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it.each([
    [{ ...valid, to: 'not-an-address' }, 422, 'invalid_recipient'],
    [{ ...valid, to: [] }, 400, 'validation_error'],
    [{ ...valid, to: Array.from({ length: 51 }, (_, i) => `u${i}@example.org`) }, 400, 'validation_error'],
    [{ ...valid, text: undefined }, 422, 'missing_content'],
    [{ ...valid, subject: '' }, 400, 'validation_error'],
    [{ ...valid, scheduled_at: 'tomorrow' }, 422, 'invalid_scheduled_at'],
    [{ ...valid, replyTo: 'x@example.org' }, 400, 'validation_error'],
    [{ ...valid, from: 'Shop <shop@>' }, 422, 'invalid_recipient'],
    [{ ...valid, subject: true }, 400, 'validation_error'], // no silent coercion to "true"
    [{ ...valid, tags: 'one' }, 400, 'validation_error'],
    [{ ...valid, metadata: { deep: JSON.parse('['.repeat(40) + ']'.repeat(40)) } }, 400, 'validation_error'],
  ])('refuses %j with %i %s', async (body, status, code) => {
    const res = await post(body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    expect(typeof res.json().error.message).toBe('string');
  });

  it('answers malformed JSON with 400 invalid_json', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/emails', headers: { ...t.auth, 'content-type': 'application/json' }, payload: '{"from": ' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_json');
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it with another body', async () => {
    const first = await post(valid, { 'idempotency-key': 'order-1' });
    const again = await post(valid, { 'idempotency-key': 'order-1' });
    expect(again.statusCode).toBe(202);
    expect(again.json()).toEqual(first.json());
    const list = await t.app.inject({ url: `/v1/emails?to=ann@example.org`, headers: t.auth });
    expect(list.json().data.filter((e: { id: string }) => e.id === first.json().data[0].id)).toHaveLength(1);
    const other = await post({ ...valid, subject: 'Other' }, { 'idempotency-key': 'order-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it('forgets an Idempotency-Key after a day: another body is then a new send, replayed from then on', async () => {
    const before = { ...valid, to: 'old-order@example.org' };
    const after = { ...valid, to: 'new-order@example.org' };
    const first = await post(before, { 'idempotency-key': 'order-old' });
    await sql`UPDATE idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'order-old'`.execute(t.store.db);
    const later = await post(after, { 'idempotency-key': 'order-old' });
    expect(later.statusCode).toBe(202);
    expect(later.json().data[0].id).not.toBe(first.json().data[0].id);
    const again = await post(after, { 'idempotency-key': 'order-old' });
    expect(again.json()).toEqual(later.json());
    expect((await post(before, { 'idempotency-key': 'order-old' })).json().error.code).toBe('idempotency_key_reused');
  });

  it('makes concurrent requests with one Idempotency-Key create the emails once', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => post({ ...valid, to: 'race@example.org' }, { 'idempotency-key': 'race' })));
    expect(new Set(results.map((r) => r.json().data[0].id)).size).toBe(1);
    const list = await t.app.inject({ url: '/v1/emails?to=race@example.org', headers: t.auth });
    expect(list.json().data).toHaveLength(1);
  });

  it('pages the log newest first with a cursor and filters by status', async () => {
    for (let i = 0; i < 5; i++) await post({ ...valid, to: `page${i}@example.org`, tags: ['paging'] });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = `/v1/emails?limit=2&status=queued${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.app.inject({ url: q, headers: t.auth });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.data.map((e: { to: string }) => e.to));
      cursor = body.next_cursor;
    } while (cursor);
    const pages = seen.filter((s) => s.startsWith('page'));
    expect(pages).toEqual(['page4@example.org', 'page3@example.org', 'page2@example.org', 'page1@example.org', 'page0@example.org']);
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lists the emails of a rare status (failed) alone, newest first', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post({ ...valid, to: `broken${i}@example.org` })).json().data[0].id);
    await sql`UPDATE emails SET status = 'failed' WHERE id IN (${ids[0]}, ${ids[2]})`.execute(t.store.db);
    const res = await t.app.inject({ url: '/v1/emails?status=failed', headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().data.map((e: { id: string; status: string }) => [e.id, e.status])).toEqual([[ids[2], 'failed'], [ids[0], 'failed']]);
  });

  it("hides another project's email behind a 404", async () => {
    const mine = (await post(valid)).json().data[0].id;
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    const { key } = await createApiKey(t.store.db, other, 'other');
    const headers = { authorization: `Bearer ${key}` };
    for (const url of [`/v1/emails/${mine}`, `/v1/emails/${mine}/events`]) {
      const res = await t.app.inject({ url, headers });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('not_found');
    }
    expect((await t.app.inject({ method: 'POST', url: `/v1/emails/${mine}/cancel`, headers })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/emails', headers })).json().data).toEqual([]);
  });

  it('cancels a queued email once and says 404 for an unknown id', async () => {
    const id = (await post(valid)).json().data[0].id;
    const res = await t.app.inject({ method: 'POST', url: `/v1/emails/${id}/cancel`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    const again = await t.app.inject({ method: 'POST', url: `/v1/emails/${id}/cancel`, headers: t.auth });
    expect(again.statusCode).toBe(409);
    expect((await t.app.inject({ url: '/v1/emails/nope', headers: t.auth })).statusCode).toBe(404);
  });

  it('serves the OpenAPI document and health', async () => {
    const doc = await t.app.inject({ url: '/docs/json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toContain('/v1/emails');
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    await post({ ...valid, to: ['depth1@example.org', 'depth2@example.org'] });
    const metrics = await t.app.inject({ url: '/metrics' });
    const queued = await sql<{ n: number }>`SELECT count(*)::int AS n FROM emails WHERE status = 'queued'`.execute(t.store.db);
    expect(metrics.body).toMatch(new RegExp(`^sendtrail_queue_depth ${queued.rows[0]!.n}$`, 'm'));
    expect(queued.rows[0]!.n).toBeGreaterThanOrEqual(2);
  });
});
