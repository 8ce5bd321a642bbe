// Retention end to end on PGlite and PostgreSQL: rows back-dated by inserting them with old ids and
// times, the rollups folded as the scheduler would, one run as of now; then what a user sees
// through the API: old emails gone, the old period's stats unchanged, a trimmed body explained,
// recent mail and mail still in the queue untouched. Also the append-only trigger's one exception.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { v7 } from 'uuid';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { STORE_KINDS } from '../../test/support/test-store.ts';
import { rollUpNow } from '../../test/support/roll-up.ts';
import { appendEvents, type NewEvent } from '../events/index.ts';
import { newId } from '../shared/ids.ts';
import { runRetention } from './run-retention.ts';

const DAY = 86_400_000;
const NOW = new Date();
const daysAgo = (d: number, plusMs = 0) => new Date(NOW.getTime() - d * DAY + plusMs);
const dayOf = (d: Date) => d.toISOString().slice(0, 10);

describe.each(STORE_KINDS)('retention on %s', (kind) => {
  let t: TestApp;
  const campaignId = newId();
  const ids = { old: '', trimmed: '', recent: '', waiting: '' };
  const inbound = { old: newId(), recent: '' };

  /** An email created `d` days ago with its log: queued, sent, delivered, and a person's open a day later. */
  async function email(d: number, opts: { status?: string; nextAttemptAt?: Date; campaign?: boolean } = {}): Promise<string> {
    const at = daysAgo(d);
    const id = v7({ msecs: at.getTime() });
    await t.store.db.insertInto('emails').values({
      id, project_id: t.projectId, campaign_id: opts.campaign ? campaignId : null, from_address: 'news@example.com', to_address: `reader-${d}@gmail.com`,
      subject: `Hello ${d}`, html: `<p>Body of ${d}</p>`, text: `Body of ${d}`, data: JSON.stringify({ name: 'Ada' }) as never,
      status: opts.status ?? 'delivered', priority: 1, next_attempt_at: opts.nextAttemptAt ?? null, message_id: `<${id}@example.com>`,
      created_at: at, updated_at: at, first_attempt_at: opts.nextAttemptAt ? null : at,
    }).execute();
    const log: NewEvent[] = [{ projectId: t.projectId, emailId: id, type: opts.nextAttemptAt ? 'scheduled' : 'queued', at }];
    if (!opts.nextAttemptAt) {
      log.push(
        { projectId: t.projectId, emailId: id, type: 'sent', at: new Date(at.getTime() + 1000) },
        { projectId: t.projectId, emailId: id, type: 'delivered', at: new Date(at.getTime() + 2000) },
        { projectId: t.projectId, emailId: id, type: 'open', hitId: `hit-${id}`, metadata: { counted: true, why: 'human' }, at: new Date(at.getTime() + DAY / 2) },
      );
      await t.store.db.insertInto('captured_messages').values({ email_id: id, project_id: t.projectId, raw: `Subject: Hello ${d}\r\n\r\nBody` }).execute();
    }
    await appendEvents(t.store.db, log);
    return id;
  }

  const get = async (path: string) => {
    const res = await t.app.inject({ method: 'GET', url: path, headers: t.auth });
    return { status: res.statusCode, body: res.json() };
  };
  const statsQuery = `/v1/stats?from=${dayOf(daysAgo(700))}T00:00:00Z&to=${dayOf(daysAgo(-1))}T00:00:00Z&granularity=day`;
  let statsBefore: unknown;
  let run: Awaited<ReturnType<typeof runRetention>>;

  beforeAll(async () => {
    t = await createTestApp(kind);
    await t.store.db.insertInto('campaigns').values({ id: campaignId, project_id: t.projectId, name: 'Spring', from_address: 'news@example.com', subject: 'Hi', status: 'sent', track_opens: true, track_clicks: true, recipient_count: 1 }).execute();
    ids.old = await email(500, { campaign: true });
    ids.trimmed = await email(100);
    ids.recent = await email(2);
    // Scheduled long ago for a day still ahead: in the queue, so neither its body nor its log goes.
    ids.waiting = await email(450, { status: 'scheduled', nextAttemptAt: daysAgo(-3) });
    const raw = (id: string, d: number) => ({
      id, project_id: t.projectId, email_id: null, kind: 'dsn', mail_from: '', rcpt_to: ['b@bounces.example'], from_header: null, subject: 'Undelivered',
      content_hash: id, size_bytes: 4, event_count: 0, error: null, raw: Buffer.from('raw!'), received_at: daysAgo(d), forward_state: null, forward_next_at: null,
    });
    inbound.old = v7({ msecs: daysAgo(60).getTime() });
    inbound.recent = v7({ msecs: daysAgo(3).getTime() });
    await t.store.db.insertInto('inbound_messages').values([raw(inbound.old, 60), raw(inbound.recent, 3)]).execute();
    await rollUpNow(t.store.db);
    statsBefore = (await get(statsQuery)).body;
    run = await runRetention(t.store.db, { now: NOW });
  });
  afterAll(async () => t?.close());

  it('counts what it removed: one email with its four events, one body, two captured copies, one raw message', () => {
    expect(run).toMatchObject({ emails: 1, events: 4, bodies: 1, captured: 2, raw_inbound: 1 });
  });

  it('deletes an email past events retention whole: the email, its Events tab and its log answer 404 or nothing', async () => {
    expect((await get(`/v1/emails/${ids.old}`)).status).toBe(404);
    expect((await get(`/v1/emails/${ids.old}/events`)).status).toBe(404);
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE email_id = ${ids.old}`.execute(t.store.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('keeps the stats of the old periods as they were, and a late event on a deleted email counts nowhere', async () => {
    expect((await get(statsQuery)).body).toEqual(statsBefore);
    // The deleted email's day still counts it: three delivered and three openers in all.
    expect((statsBefore as { totals: unknown }).totals).toMatchObject({ emails: { delivered: 3 }, people: { openers: 3 } });
    // A hit on the deleted email committed anyway (its row read a moment before it went): no email to count it under.
    await appendEvents(t.store.db, [{ projectId: t.projectId, emailId: ids.old, type: 'open', hitId: `late-${ids.old}`, metadata: { counted: true, why: 'human' } }]);
    await rollUpNow(t.store.db);
    expect((await get(statsQuery)).body).toEqual(statsBefore);
  });

  it("keeps the campaign's emails per status: its rates still divide by what it sent", async () => {
    const rows = await t.store.db.selectFrom('campaign_counters').select(['counter', 'n']).where('campaign_id', '=', campaignId).execute();
    expect(rows.map((r) => [r.counter, Number(r.n)])).toEqual([['status:delivered', 1]]);
  });

  it('trims a body past bodies retention: the Content tab says why, the email and its events stay', async () => {
    const content = await get(`/v1/emails/${ids.trimmed}/content`);
    expect(content.status).toBe(409);
    expect(content.body.error.code).toBe('content_unavailable');
    expect(content.body.error.message).toMatch(/removed on \d{4}-\d{2}-\d{2}: this project keeps message bodies for 30 days \(retention\)/);
    expect((await get(`/v1/emails/${ids.trimmed}/preview`)).status).toBe(409);
    expect((await get(`/v1/emails/${ids.trimmed}/raw`)).status).toBe(409);
    expect((await get(`/v1/emails/${ids.trimmed}`)).body).toMatchObject({ id: ids.trimmed, subject: 'Hello 100', status: 'delivered', html: null, text: null, data: {}, content_removed_at: expect.any(String) });
    expect((await get(`/v1/emails/${ids.trimmed}/events`)).body.data.map((e: { event_type: string }) => e.event_type)).toEqual(['queued', 'sent', 'delivered', 'open']);
  });

  it('leaves recent mail, and mail still waiting in the queue, as they were', async () => {
    const recent = await get(`/v1/emails/${ids.recent}/content`);
    expect(recent.status).toBe(200);
    expect(recent.body.html).toContain('Body of 2');
    expect(recent.body.raw_source).toBe('captured');
    const waiting = await t.store.db.selectFrom('emails').select(['html', 'content_removed_at']).where('id', '=', ids.waiting).executeTakeFirstOrThrow();
    expect(waiting).toEqual({ html: '<p>Body of 450</p>', content_removed_at: null });
    expect((await get(`/v1/emails/${ids.waiting}/events`)).body.data).toHaveLength(1);
  });

  it('empties old raw inbound mail and keeps what was read from it', async () => {
    const rows = await t.store.db.selectFrom('inbound_messages').select(['id', 'raw', 'subject', 'raw_removed_at']).orderBy('id').execute();
    expect(rows.map((r) => [r.id, Buffer.from(r.raw).length, r.subject, r.raw_removed_at !== null])).toEqual([
      [inbound.old, 0, 'Undelivered', true],
      [inbound.recent, 4, 'Undelivered', false],
    ]);
    const removed = await get(`/v1/inbound/${inbound.old}/raw`);
    expect(removed.status).toBe(409);
    expect(removed.body.error.message).toMatch(/raw message was removed on .*keeps raw inbound mail for 30 days \(retention\)/);
    expect((await t.app.inject({ method: 'GET', url: `/v1/inbound/${inbound.recent}/raw`, headers: t.auth })).body).toBe('raw!');
  });

  it('finds nothing more on a second run, and takes the waiting email once it has gone out', async () => {
    expect(await runRetention(t.store.db, { now: NOW })).toMatchObject({ emails: 0, events: 0, bodies: 0, captured: 0, raw_inbound: 0 });
    await t.store.db.updateTable('emails').set({ status: 'delivered', next_attempt_at: null }).where('id', '=', ids.waiting).execute();
    await rollUpNow(t.store.db);
    expect(await runRetention(t.store.db, { now: NOW })).toMatchObject({ emails: 1, events: 1 });
  });

  describe('the append-only log', () => {
    const emailId = newId();
    beforeAll(async () => {
      await appendEvents(t.store.db, [{ projectId: t.projectId, emailId, type: 'queued' }, { projectId: t.projectId, emailId, type: 'sent' }]);
    });
    const count = async () => (await sql<{ n: number }>`SELECT count(*)::int AS n FROM events WHERE email_id = ${emailId}`.execute(t.store.db)).rows[0]!.n;

    it('refuses a plain DELETE, and an UPDATE or TRUNCATE even under the retention setting', async () => {
      await expect(sql`DELETE FROM events WHERE email_id = ${emailId}`.execute(t.store.db)).rejects.toThrow(/events are append-only: DELETE refused/);
      await expect(t.store.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL sendtrail.retention = 'on'`.execute(trx);
        await sql`UPDATE events SET metadata = '{}'::jsonb WHERE email_id = ${emailId}`.execute(trx);
      })).rejects.toThrow(/UPDATE refused/);
      await expect(t.store.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL sendtrail.retention = 'on'`.execute(trx);
        await sql`TRUNCATE events`.execute(trx);
      })).rejects.toThrow(/TRUNCATE refused/);
      expect(await count()).toBe(2);
    });

    it("lets a DELETE through only in a transaction that set it, and the setting ends with that transaction", async () => {
      await t.store.db.transaction().execute(async (trx) => {
        await sql`SET LOCAL sendtrail.retention = 'on'`.execute(trx);
        await sql`DELETE FROM events WHERE email_id = ${emailId} AND event_type = 'sent'`.execute(trx);
      });
      expect(await count()).toBe(1);
      await expect(sql`DELETE FROM events WHERE email_id = ${emailId}`.execute(t.store.db)).rejects.toThrow(/DELETE refused/);
      expect(await count()).toBe(1);
    });
  });

  describe('GET and PUT /v1/projects/current/retention', () => {
    const call = async (method: 'GET' | 'PUT', body?: unknown) => {
      const res = await t.app.inject({ method, url: '/v1/projects/current/retention', headers: t.auth, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: res.statusCode, body: res.json() };
    };

    it('answers the defaults until changed, then keeps the change, field by field', async () => {
      expect(await call('GET')).toEqual({ status: 200, body: { bodies_days: 30, events_days: 400, raw_inbound_days: 30, is_default: true } });
      expect(await call('PUT', { bodies_days: 7 })).toEqual({ status: 200, body: { bodies_days: 7, events_days: 400, raw_inbound_days: 30, is_default: false } });
      expect((await call('PUT', { raw_inbound_days: 90 })).body).toMatchObject({ bodies_days: 7, raw_inbound_days: 90 });
      expect((await call('GET')).body).toEqual({ bodies_days: 7, events_days: 400, raw_inbound_days: 90, is_default: false });
      // Each change is in the audit log, by the API key, with the values it left in force.
      const audited = await t.store.db.selectFrom('audit_log').select(['actor_type', 'outcome', 'details']).where('action', '=', 'retention.update').orderBy('seq').execute();
      expect(audited).toEqual([
        { actor_type: 'api_key', outcome: 'success', details: { bodies_days: 7, events_days: 400, raw_inbound_days: 30 } },
        { actor_type: 'api_key', outcome: 'success', details: { bodies_days: 7, events_days: 400, raw_inbound_days: 90 } },
      ]);
    });

    it.each([
      [{ bodies_days: 0 }, /bodies_days/],
      [{ events_days: 3651 }, /events_days/],
      [{ bodies_days: 1.5 }, /bodies_days/],
      [{ events_days: 5 }, /events_days \(5\) must be at least bodies_days \(7\)/],
      [{ raw_inbound_days: 30, logs: 1 }, /logs|additional/],
      [{}, /fewer than 1|minProperties|properties/],
    ])('refuses %j with 400 validation_error and changes nothing', async (body, message) => {
      const { status, body: answer } = await call('PUT', body);
      expect(status).toBe(400);
      expect(answer.error.code).toBe('validation_error');
      expect(`${answer.error.message} ${JSON.stringify(answer.error.details ?? '')}`).toMatch(message);
      expect((await call('GET')).body).toMatchObject({ bodies_days: 7, events_days: 400 });
    });
  });
});
