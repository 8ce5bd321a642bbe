import { expandAllCampaigns } from '../../../test/support/expand-campaigns.ts';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';

const base = { name: 'List', from: 'news@shop.example', subject: 'Hi {{data.first}}', html: '<p>Hi</p>' };
const DAY_MS = 86_400_000;

describe.each(STORE_KINDS)('streaming campaign recipients on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const createCampaign = async (overrides: Record<string, unknown> = {}) =>
    (await t.app.inject({ method: 'POST', url: '/v1/campaigns', headers: t.auth, payload: { ...base, ...overrides } })).json() as { id: string; status: string };
  const stream = (id: string, contentType: string, payload: string | Buffer | Readable, query = '') =>
    t.app.inject({ method: 'POST', url: `/v1/campaigns/${id}/recipients${query}`, headers: { ...t.auth, 'content-type': contentType }, payload });
  const emailRows = async (id: string) => (await expandAllCampaigns(t.store.db), t.store.db.selectFrom('emails').select(['to_address', 'status', 'data']).where('campaign_id', '=', id).orderBy('to_address').execute());
  const get = async (id: string) => (await t.app.inject({ url: `/v1/campaigns/${id}`, headers: t.auth })).json();

  it('adds NDJSON recipients to a draft, skipping addresses already on the list', async () => {
    const c = await createCampaign({ draft: true, recipients: [{ email: 'ann@example.org' }] });
    const res = await stream(c.id, 'application/x-ndjson', '{"email":"ANN@example.org"}\n{"email":"bob@example.org","data":{"first":"Bob"}}\n{"email":"bob@example.org"}\n');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ added: 1, duplicates: 2, invalid: 0, invalid_lines: [], recipient_count: 2 });
    expect(await emailRows(c.id)).toEqual([]);
    await t.app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/send`, headers: t.auth });
    expect(await emailRows(c.id)).toEqual([
      { to_address: 'ann@example.org', status: 'queued', data: null },
      { to_address: 'bob@example.org', status: 'queued', data: { first: 'Bob' } },
    ]);
  });

  it('queues CSV recipients of a sending campaign at once, with a quoted field holding a comma and a line break', async () => {
    const c = await createCampaign({ recipients: [{ email: 'ann@example.org' }] });
    const csv = 'email,first,note\r\nann@example.org,Ann,again\r\n"bob@example.org",Bob,"Hello, Bob\r\nsecond line"\r\ncy@example.org,Cy,\r\n';
    const res = await stream(c.id, 'text/csv; charset=utf-8', csv);
    expect(res.json()).toEqual({ added: 2, duplicates: 1, invalid: 0, invalid_lines: [], recipient_count: 3 });
    const rows = await emailRows(c.id);
    expect(rows.map((r) => r.status)).toEqual(['queued', 'queued', 'queued']);
    expect(rows[1]!.data).toEqual({ first: 'Bob', note: 'Hello, Bob\r\nsecond line' });
    const events = await t.store.db.selectFrom('events').innerJoin('emails', 'emails.id', 'events.email_id').select('event_type').where('emails.campaign_id', '=', c.id).execute();
    expect(events.map((e) => e.event_type)).toEqual(['queued', 'queued', 'queued']);
  });

  it('schedules recipients streamed into a scheduled campaign', async () => {
    // With one recipient of its own: only a draft may be empty (no_recipients).
    const c = await createCampaign({ scheduled_at: new Date(Date.now() + DAY_MS).toISOString(), recipients: [{ email: 'bob@example.org' }] });
    await stream(c.id, 'application/x-ndjson', '{"email":"ann@example.org"}\n');
    expect((await emailRows(c.id)).map((r) => [r.to_address, r.status])).toEqual([['ann@example.org', 'scheduled'], ['bob@example.org', 'scheduled']]);
  });

  it('refuses a list with a bad line, naming the lines, and adds nothing', async () => {
    const c = await createCampaign({ draft: true });
    const csv = 'email,first\nann@example.org,Ann\nnot-an-address,X\nbob@example.org\n"cy@example.org",Cy\n';
    const res = await stream(c.id, 'text/csv', csv);
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({
      code: 'invalid_recipients_file',
      details: { invalid_count: 2, lines: [{ line: 3, reason: expect.stringContaining('not a valid email address') }, { line: 4, reason: expect.stringContaining('expected 2 fields') }] },
    });
    expect((await get(c.id)).recipient_count).toBe(0);
  });

  it('with skip_invalid=true adds the good lines and counts the bad ones', async () => {
    const c = await createCampaign({ draft: true });
    const res = await stream(c.id, 'application/x-ndjson', '{"email":"ann@example.org"}\n{oops\n{"email":"bob@example.org"}\n', '?skip_invalid=true');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ added: 2, invalid: 1, invalid_lines: [{ line: 2, reason: 'not valid JSON' }], recipient_count: 2 });
  });

  it('reads a body streamed in small chunks, spilling a long list to disk', async () => {
    const c = await createCampaign({ draft: true });
    const lines = Array.from({ length: 12_345 }, (_, i) => `{"email":"user${i}@example.org","data":{"n":${i}}}\n`);
    const body = Readable.from((function* () {
      for (let i = 0; i < lines.length; i += 1000) yield Buffer.from(lines.slice(i, i + 1000).join(''));
    })());
    const res = await stream(c.id, 'application/x-ndjson', body);
    expect(res.json()).toMatchObject({ added: 12_345, duplicates: 0, recipient_count: 12_345 });
    expect((await t.app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/send`, headers: t.auth })).json().status).toBe('sending');
    const stats = (await t.app.inject({ url: `/v1/campaigns/${c.id}/stats`, headers: t.auth })).json();
    expect(stats.counts).toMatchObject({ queued: 12_345, total: 12_345 });
    await expandAllCampaigns(t.store.db);
    const row = await t.store.db.selectFrom('emails').select('data').where('campaign_id', '=', c.id).where('to_address', '=', 'user12344@example.org').executeTakeFirstOrThrow();
    expect(row.data).toEqual({ n: 12_344 });
  });

  it('refuses recipients for a cancelled or completed campaign with 409', async () => {
    const cancelled = await createCampaign({ draft: true });
    await t.app.inject({ method: 'POST', url: `/v1/campaigns/${cancelled.id}/cancel`, headers: t.auth });
    expect((await stream(cancelled.id, 'text/csv', 'email\nann@example.org\n')).json().error.code).toBe('campaign_not_editable');
    // Its one email delivered (a campaign is no longer sent empty: no_recipients).
    const completed = await createCampaign({ recipients: [{ email: 'ann@example.org' }] });
    await emailRows(completed.id);
    await t.store.db.updateTable('emails').set({ status: 'delivered', next_attempt_at: null }).where('campaign_id', '=', completed.id).execute();
    expect((await get(completed.id)).status).toBe('completed');
    expect((await stream(completed.id, 'text/csv', 'email\nann@example.org\n')).statusCode).toBe(409);
  });

  it.each([
    ['a CSV without an email column', 'text/csv', 'name\nAnn\n', 422, 'invalid_recipients_file'],
    ['an empty CSV', 'text/csv', '', 422, 'invalid_recipients_file'],
    ['binary bytes as CSV', 'text/csv', Buffer.from([0xff, 0xfe, 0x00, 0x22, 0x0a, 0x81]), 422, 'invalid_recipients_file'],
    ['binary bytes as NDJSON', 'application/x-ndjson', Buffer.from([0xff, 0x00, 0x7b, 0x0a]), 422, 'invalid_recipients_file'],
    ['an unterminated quote', 'text/csv', 'email\n"ann@example.org\n', 422, 'invalid_recipients_file'],
    ['a NUL in an address', 'application/x-ndjson', '{"email":"a\\u0000b@example.org"}\n', 422, 'invalid_recipients_file'],
    ['a NUL in data', 'application/x-ndjson', '{"email":"a@example.org","data":{"a":"\\u0000"}}\n', 422, 'invalid_recipients_file'],
    ['a lone surrogate in data', 'application/x-ndjson', '{"email":"a@example.org","data":{"\\ud800":1}}\n', 422, 'invalid_recipients_file'],
    ['data nested 10,000 deep', 'application/x-ndjson', `{"email":"a@example.org","data":{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}}\n`, 422, 'invalid_recipients_file'],
    ['a NUL byte in a CSV cell', 'text/csv', Buffer.from('email,name\na@example.org,a\u0000b\n'), 422, 'invalid_recipients_file'],
    ['JSON instead of a stream', 'application/json', '{"recipients":[]}', 415, 'unsupported_media_type'],
    ['plain text', 'text/plain', 'ann@example.org', 415, 'unsupported_media_type'],
  ])('answers %s with %i %s', async (_what, type, payload, status, code) => {
    const c = await createCampaign({ draft: true });
    const res = await stream(c.id, type, payload);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it('answers an empty NDJSON body with nothing added', async () => {
    const c = await createCampaign({ draft: true });
    expect((await stream(c.id, 'application/x-ndjson', '')).json()).toMatchObject({ added: 0, duplicates: 0, invalid: 0 });
  });
});
