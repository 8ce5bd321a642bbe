import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { expandAllCampaigns } from '../../../test/support/expand-campaigns.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';

const campaign = (overrides: Record<string, unknown> = {}) => ({
  name: 'Spring sale',
  from: 'Shop <news@shop.example>',
  subject: 'Hi {{data.first}}',
  html: '<p>Hello {{ data.first }}, {{email}}</p>',
  recipients: [
    { email: 'ann@example.org', data: { first: 'Ann' } },
    { email: 'bob@example.org', data: { first: 'Bob' } },
    { email: 'cy@example.org' },
  ],
  ...overrides,
});
const DAY_MS = 86_400_000;

describe.each(STORE_KINDS)('campaigns API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  const create = (body: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({ method: 'POST', url: '/v1/campaigns', headers: { ...t.auth, ...headers }, payload: body as object });
  const get = (url: string) => t.app.inject({ url, headers: t.auth });
  const post = (url: string) => t.app.inject({ method: 'POST', url, headers: t.auth });
  // Looking at a campaign's emails: first let the expander (a worker's job) turn its list into emails.
  const emailsOf = async (id: string) => (await expandAllCampaigns(t.store.db), await get(`/v1/emails?campaign_id=${id}&limit=100`)).json().data as Array<{ id: string; to: string; status: string; subject: string }>;
  const eventTypes = async (emailId: string) => (await get(`/v1/emails/${emailId}/events`)).json().data.map((e: { event_type: string }) => e.event_type);

  it('creates a campaign with one queued email and one queued event per recipient', async () => {
    const res = await create(campaign());
    expect(res.statusCode).toBe(201);
    const c = res.json();
    expect(c).toMatchObject({ object: 'campaign', status: 'sending', recipient_count: 3, recipients: { added: 3, duplicates: 0 }, from: '"Shop" <news@shop.example>' });
    const emails = await emailsOf(c.id);
    expect(emails.map((e) => e.to).sort()).toEqual(['ann@example.org', 'bob@example.org', 'cy@example.org']);
    expect(emails.every((e) => e.status === 'queued' && e.subject === 'Hi {{data.first}}')).toBe(true);
    expect(await eventTypes(emails[0]!.id)).toEqual(['queued']);
  });

  describe('a recipient whose data lacks a templated field', () => {
    const recipients = [
      { email: 'ann@example.org', data: { first: 'Ann', address: { city: 'Oslo' } } },
      { email: 'bob@example.org', data: { first: null, address: {} } },
      { email: 'cy@example.org' },
    ];
    const templated = { subject: 'Hi {{data.first}}', html: '<p>Hello {{ data.first }} in {{data.address.city}}</p>', recipients };
    const eventsByAddress = async (id: string) => {
      const result: Record<string, Array<{ event_type: string; metadata: unknown }>> = {};
      for (const e of await emailsOf(id)) {
        result[e.to] = (await get(`/v1/emails/${e.id}/events`)).json().data.map((ev: { event_type: string; metadata: unknown }) => ({ event_type: ev.event_type, metadata: ev.metadata }));
      }
      return result;
    };

    it('is sent by default, its queued event listing what will render empty', async () => {
      const c = (await create(campaign(templated))).json();
      expect(c.on_missing_field).toBe('send');
      expect(await eventsByAddress(c.id)).toEqual({
        'ann@example.org': [{ event_type: 'queued', metadata: {} }],
        'bob@example.org': [{ event_type: 'queued', metadata: { missing_fields: ['data.first', 'data.address.city'] } }],
        'cy@example.org': [{ event_type: 'queued', metadata: { missing_fields: ['data.first', 'data.address.city'] } }],
      });
    });

    it('says so on the scheduled event of a scheduled campaign, long before it goes', async () => {
      const c = (await create(campaign({ ...templated, scheduled_at: new Date(Date.now() + DAY_MS).toISOString() }))).json();
      expect((await eventsByAddress(c.id))['cy@example.org']).toEqual([{ event_type: 'scheduled', metadata: { missing_fields: ['data.first', 'data.address.city'] } }]);
    });

    it('is rejected, never sent, when the campaign says on_missing_field "reject"; the others go', async () => {
      const res = await create(campaign({ ...templated, on_missing_field: 'reject' }));
      expect(res.statusCode).toBe(201);
      const c = res.json();
      expect((await get(`/v1/campaigns/${c.id}`)).json().on_missing_field).toBe('reject');
      const rejected = { event_type: 'rejected', metadata: { reason: 'missing_fields', missing_fields: ['data.first', 'data.address.city'] } };
      expect(await eventsByAddress(c.id)).toEqual({
        'ann@example.org': [{ event_type: 'queued', metadata: {} }],
        'bob@example.org': [rejected],
        'cy@example.org': [rejected],
      });
      expect((await emailsOf(c.id)).map((e) => [e.to, e.status]).sort()).toEqual([['ann@example.org', 'queued'], ['bob@example.org', 'rejected'], ['cy@example.org', 'rejected']]);
      expect((await get(`/v1/campaigns/${c.id}/stats`)).json().counts).toMatchObject({ queued: 1, rejected: 2, total: 3 });
      // Nothing of them is left to send: claiming the queue finds Ann's email only.
      const due = await t.store.db.selectFrom('emails').select('to_address').where('campaign_id', '=', c.id).where('next_attempt_at', 'is not', null).execute();
      expect(due).toEqual([{ to_address: 'ann@example.org' }]);
    });

    it('leaves every recipient alone when the templates name no data field', async () => {
      const c = (await create(campaign({ subject: 'News', html: '<p>Hello {{email}}</p>', recipients, on_missing_field: 'reject' }))).json();
      expect(Object.values(await eventsByAddress(c.id)).flat()).toEqual(recipients.map(() => ({ event_type: 'queued', metadata: {} })));
    });

    it('refuses an on_missing_field other than "send" or "reject"', async () => {
      const res = await create(campaign({ on_missing_field: 'skip' }));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    });
  });

  it('stores no content on campaign emails: the recipient data, the campaign priority and a message id on the from domain', async () => {
    const c = (await create(campaign())).json();
    await expandAllCampaigns(t.store.db);
    const rows = await t.store.db.selectFrom('emails').selectAll().where('campaign_id', '=', c.id).orderBy('to_address').execute();
    expect(rows[0]).toMatchObject({ subject: null, html: null, text: null, data: { first: 'Ann' }, priority: 1, from_address: '"Shop" <news@shop.example>' });
    expect(rows[0]!.message_id).toBe(`<${rows[0]!.id}@shop.example>`);
    expect(rows[2]!.data).toBeNull();
  });

  it('sends each address once however it is cased, and counts the duplicates', async () => {
    const res = await create(campaign({ recipients: [{ email: 'Ann@Example.org' }, { email: 'ann@example.org' }, { email: ' ANN@example.ORG ' }, { email: 'bob@example.org' }] }));
    expect(res.json()).toMatchObject({ recipient_count: 2, recipients: { added: 2, duplicates: 2 } });
    expect((await emailsOf(res.json().id)).length).toBe(2);
  });

  it('refuses a list with invalid addresses, naming them by index, and creates nothing', async () => {
    const before = await t.store.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await create(campaign({ recipients: [{ email: 'ok@example.org' }, { email: 'nope' }, { email: 'a@b' }] }));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'invalid_recipient', details: { invalid_count: 2, recipients: [{ index: 1, email: 'nope' }, { index: 2, email: 'a@b' }] } });
    const after = await t.store.db.selectFrom('campaigns').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it.each([
    [{ subject: 'Hi {{ first }}' }, 'subject'],
    [{ html: '<p>{{data.first</p>' }, 'html'],
    [{ text: 'Bye {{user.name}}' }, 'text'],
  ])('refuses a template that does not parse (%j) with 422 invalid_template', async (override, field) => {
    const res = await create(campaign(override));
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('invalid_template');
    expect(res.json().error.details.problems[0].field).toBe(field);
  });

  it('schedules a campaign whose scheduled_at is ahead: emails and events say scheduled', async () => {
    const at = new Date(Date.now() + DAY_MS).toISOString();
    const c = (await create(campaign({ scheduled_at: at }))).json();
    expect(c).toMatchObject({ status: 'scheduled', scheduled_at: at });
    const emails = await emailsOf(c.id);
    expect(emails.every((e) => e.status === 'scheduled')).toBe(true);
    expect(await eventTypes(emails[0]!.id)).toEqual(['scheduled']);
    const due = await t.store.db.selectFrom('emails').select('next_attempt_at').where('campaign_id', '=', c.id).executeTakeFirstOrThrow();
    expect(due.next_attempt_at?.toISOString()).toBe(at);
  });

  it('keeps a draft without emails until it is sent, then queues its recipients', async () => {
    const c = (await create(campaign({ draft: true }))).json();
    expect(c).toMatchObject({ status: 'draft', recipient_count: 3 });
    expect(await emailsOf(c.id)).toEqual([]);
    expect((await get(`/v1/campaigns/${c.id}/stats`)).json().counts.total).toBe(0);

    const sent = await post(`/v1/campaigns/${c.id}/send`);
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ status: 'sending', recipient_count: 3 });
    const emails = await emailsOf(c.id);
    expect(emails.map((e) => e.status)).toEqual(['queued', 'queued', 'queued']);
    expect(await eventTypes(emails[0]!.id)).toEqual(['queued']);
    const data = await t.store.db.selectFrom('emails').select('data').where('campaign_id', '=', c.id).where('to_address', '=', 'bob@example.org').executeTakeFirstOrThrow();
    expect(data.data).toEqual({ first: 'Bob' });

    const again = await post(`/v1/campaigns/${c.id}/send`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('campaign_not_editable');
  });

  it('sends a draft with a future scheduled_at as scheduled', async () => {
    const c = (await create(campaign({ draft: true, scheduled_at: new Date(Date.now() + DAY_MS).toISOString() }))).json();
    expect(c.status).toBe('draft');
    expect((await post(`/v1/campaigns/${c.id}/send`)).json().status).toBe('scheduled');
    expect((await emailsOf(c.id)).every((e) => e.status === 'scheduled')).toBe(true);
  });

  it('refuses to send or schedule a campaign without recipients (422 no_recipients) and creates nothing; an empty draft is kept until sent', async () => {
    const before = (await get('/v1/campaigns?limit=100')).json().data.length;
    for (const body of [
      campaign({ recipients: [] }),
      campaign({ recipients: undefined }),
      campaign({ recipients: [], scheduled_at: new Date(Date.now() + DAY_MS).toISOString() }),
    ]) {
      const res = await create(body);
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'no_recipients', message: expect.stringContaining('"draft": true') });
    }
    expect((await get('/v1/campaigns?limit=100')).json().data.length).toBe(before);

    const draft = (await create(campaign({ recipients: [], draft: true }))).json();
    expect(draft).toMatchObject({ status: 'draft', recipient_count: 0 });
    const refused = await post(`/v1/campaigns/${draft.id}/send`);
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.code).toBe('no_recipients');
    expect((await get(`/v1/campaigns/${draft.id}`)).json().status).toBe('draft');

    const added = await t.app.inject({ method: 'POST', url: `/v1/campaigns/${draft.id}/recipients`, headers: { ...t.auth, 'content-type': 'text/csv' }, payload: 'email\nann@example.org\n' });
    expect(added.json().recipient_count).toBe(1);
    expect((await post(`/v1/campaigns/${draft.id}/send`)).json()).toMatchObject({ status: 'sending', recipient_count: 1 });
    expect((await emailsOf(draft.id)).map((e) => e.status)).toEqual(['queued']);
  });

  it('cancels every queued email with a cancelled event, but not one a worker holds', async () => {
    const c = (await create(campaign())).json();
    await expandAllCampaigns(t.store.db);
    await t.store.db
      .updateTable('emails')
      .set({ locked_by: 'worker-1', locked_until: new Date(Date.now() + 60_000) })
      .where('campaign_id', '=', c.id)
      .where('to_address', '=', 'cy@example.org')
      .execute();
    const res = await post(`/v1/campaigns/${c.id}/cancel`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: c.id, status: 'cancelled', cancelled: 2 });
    const emails = await emailsOf(c.id);
    const ann = emails.find((e) => e.to === 'ann@example.org')!;
    expect(ann.status).toBe('cancelled');
    expect(await eventTypes(ann.id)).toEqual(['queued', 'cancelled']);
    expect(emails.find((e) => e.to === 'cy@example.org')!.status).toBe('queued');
    expect((await get(`/v1/campaigns/${c.id}`)).json().status).toBe('cancelled');

    const again = await post(`/v1/campaigns/${c.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('campaign_not_editable');
  });

  it('cancels a scheduled campaign, before and after its list became emails, and a draft', async () => {
    const scheduled = (await create(campaign({ scheduled_at: new Date(Date.now() + DAY_MS).toISOString() }))).json();
    expect((await post(`/v1/campaigns/${scheduled.id}/cancel`)).json().cancelled).toBe(3);
    const expanded = (await create(campaign({ scheduled_at: new Date(Date.now() + DAY_MS).toISOString() }))).json();
    await expandAllCampaigns(t.store.db);
    expect((await post(`/v1/campaigns/${expanded.id}/cancel`)).json().cancelled).toBe(3);
    expect((await emailsOf(expanded.id)).map((e) => e.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    const draft = (await create(campaign({ draft: true }))).json();
    expect((await post(`/v1/campaigns/${draft.id}/cancel`)).json()).toMatchObject({ status: 'cancelled', cancelled: 0 });
    expect((await post(`/v1/campaigns/${draft.id}/send`)).statusCode).toBe(409);
  });

  it('counts emails per status, and shows the campaign completed once none is pending', async () => {
    const c = (await create(campaign())).json();
    const stats = (await get(`/v1/campaigns/${c.id}/stats`)).json();
    expect(stats).toMatchObject({ campaign_id: c.id, status: 'sending', recipient_count: 3 });
    expect(stats.counts).toEqual({ queued: 3, scheduled: 0, sent: 0, delivered: 0, delivery_delayed: 0, bounced: 0, rejected: 0, failed: 0, cancelled: 0, total: 3 });
    await expandAllCampaigns(t.store.db);

    await sql`UPDATE emails SET status = CASE WHEN to_address = 'ann@example.org' THEN 'bounced' ELSE 'delivered' END WHERE campaign_id = ${c.id}`.execute(t.store.db);
    const done = (await get(`/v1/campaigns/${c.id}/stats`)).json();
    expect(done.status).toBe('completed');
    expect(done.counts).toMatchObject({ delivered: 2, bounced: 1, queued: 0, total: 3 });
    expect((await post(`/v1/campaigns/${c.id}/cancel`)).statusCode).toBe(409);
  });

  it('lists campaigns newest first, a page at a time', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await create(campaign({ name: `page ${i}`, recipients: [], draft: true }))).json().id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string; html?: string }>; next_cursor: string | null } = (await get(`/v1/campaigns?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      expect(page.data[0]).not.toHaveProperty('html');
      seen.push(...page.data.map((c) => c.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.slice(0, 5)).toEqual([...ids].reverse());
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('shows one campaign with its content', async () => {
    const c = (await create(campaign({ text: 'Hi {{data.first}}', reply_to: 'help@shop.example', tags: ['spring'], headers: { 'X-Campaign': 'spring' } }))).json();
    expect((await get(`/v1/campaigns/${c.id}`)).json()).toMatchObject({
      id: c.id, html: '<p>Hello {{ data.first }}, {{email}}</p>', text: 'Hi {{data.first}}', reply_to: 'help@shop.example',
      tags: ['spring'], headers: { 'X-Campaign': 'spring' }, track_opens: true, track_clicks: true,
    });
  });

  it("answers 404 for another project's campaign on every route", async () => {
    const c = (await create(campaign({ draft: true }))).json();
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    const { key } = await createApiKey(t.store.db, other, 'other');
    const headers = { authorization: `Bearer ${key}` };
    for (const [method, url] of [['GET', ''], ['GET', '/stats'], ['POST', '/send'], ['POST', '/cancel']] as const) {
      const res = await t.app.inject({ method, url: `/v1/campaigns/${c.id}${url}`, headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const stream = await t.app.inject({ method: 'POST', url: `/v1/campaigns/${c.id}/recipients`, headers: { ...headers, 'content-type': 'text/csv' }, payload: 'email\nx@example.org\n' });
    expect(stream.statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/campaigns', headers })).json().data).toEqual([]);
    expect((await get(`/v1/campaigns/${c.id}`)).json().status).toBe('draft');
  });

  it('replays the first response for a repeated Idempotency-Key and refuses it with another body', async () => {
    const first = await create(campaign(), { 'idempotency-key': 'spring-1' });
    const again = await create(campaign(), { 'idempotency-key': 'spring-1' });
    expect(again.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect((await emailsOf(first.json().id)).length).toBe(3);
    const other = await create(campaign({ name: 'changed' }), { 'idempotency-key': 'spring-1' });
    expect(other.statusCode).toBe(422);
    expect(other.json().error.code).toBe('idempotency_key_reused');
  });

  it.each([
    ['malformed JSON', '{"name": ', 400, 'invalid_json'],
    ['recipients that are not an array', JSON.stringify(campaign({ recipients: { email: 'a@b.co' } })), 400, 'validation_error'],
    ['a recipient without an address', JSON.stringify(campaign({ recipients: [{ data: {} }] })), 400, 'validation_error'],
    ['a recipient with an unknown field', JSON.stringify(campaign({ recipients: [{ email: 'a@b.co', name: 'A' }] })), 400, 'validation_error'],
    ['recipient data that is not an object', JSON.stringify(campaign({ recipients: [{ email: 'a@b.co', data: [1, 2] }] })), 400, 'validation_error'],
    ['a missing html', JSON.stringify(campaign({ html: undefined })), 400, 'validation_error'],
    ['an empty html', JSON.stringify(campaign({ html: ' ' })), 422, 'missing_content'],
    ['an invalid from', JSON.stringify(campaign({ from: 'shop' })), 422, 'invalid_recipient'],
    ['a bad scheduled_at', JSON.stringify(campaign({ scheduled_at: 'tomorrow' })), 422, 'invalid_scheduled_at'],
    ['more than 100,000 recipients', JSON.stringify(campaign({ recipients: Array.from({ length: 100_001 }, () => ({ email: 'a@b.co' })) })), 400, 'validation_error'],
    ['a JSON array', '[]', 400, 'validation_error'],
  ])('answers %s with %i %s', async (_what, payload, status, code) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/campaigns', headers: { ...t.auth, 'content-type': 'application/json' }, payload });
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
  });

  it.each([
    ['GET', '/v1/campaigns/not-a-uuid', 404],
    ['POST', '/v1/campaigns/not-a-uuid/send', 404],
    ['POST', `/v1/campaigns/${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}/cancel`, 404],
    ['GET', '/v1/campaigns?cursor=bm9wZQ', 400],
    ['GET', '/v1/campaigns?limit=0', 400],
  ] as const)('answers %s %s with %i', async (method, url, status) => {
    expect((await t.app.inject({ method, url, headers: t.auth })).statusCode).toBe(status);
  });
});
