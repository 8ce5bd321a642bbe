// Webhooks end to end on both stores, with a real HTTP receiver on 127.0.0.1: the outbox turns the
// event log into deliveries exactly once, the sender posts them signed (verified with the
// standardwebhooks package), in the log's order per email, at most 4 at once per endpoint, retried
// on the schedule and given up, 410 and 5 days of failures disabling the endpoint; the address
// policy applied at connect time (DNS rebinding); the delivery log, replays and the test event.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { Webhook } from 'standardwebhooks';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { STORE_KINDS } from '../../test/support/test-store.ts';
import { eventually } from '../../test/support/test-worker.ts';
import { startWebhookReceiver, type HookAnswer, type WebhookReceiver } from '../../test/support/webhook-receiver.ts';
import { tableResolver, testWebhookSettings } from '../../test/support/webhook-settings.ts';
import { appendEvents, type NewEvent } from '../events/index.ts';
import { openStore } from '../store/open-store.ts';
import { createAddressPolicy, createEndpoint, createPoster, fillOutbox, MAX_IN_FLIGHT_PER_ENDPOINT, rotateEndpointSecret, startWebhookSender, type EndpointInput, type RetrySchedule, type WebhookSender, type WebhookSenderDeps } from './index.ts';
import { claimDueDeliveries, claimStatement } from './sending/deliveries.repository.ts';

const FAST: RetrySchedule = { delaysMs: [50, 50, 50], jitter: 0, retryAfterCapMs: 3_000 };
const resolver = tableResolver({ 'hooks.example.com': ['127.0.0.1'] });
const settings = testWebhookSettings({ resolver, allowedNetworks: ['127.0.0.1/32'] });

describe.each(STORE_KINDS)('webhooks on %s', (kind) => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let sender: WebhookSender | undefined;
  beforeAll(async () => {
    t = await createTestApp(kind, { webhooks: settings });
  });
  afterAll(async () => t?.close());
  beforeEach(async () => {
    receiver = await startWebhookReceiver();
  });
  afterEach(async () => {
    await sender?.stop();
    sender = undefined;
    await receiver.close();
    // Each test's endpoints hear only that test's events.
    await t.store.db.updateTable('webhook_endpoints').set({ enabled: false, deleted_at: new Date() }).where('deleted_at', 'is', null).execute();
  });

  const db = () => t.store.db;
  const startSender = async (options: { policy?: ReturnType<typeof createAddressPolicy>; timeoutMs?: number; schedule?: RetrySchedule; onEndpointDisabled?: WebhookSenderDeps['onEndpointDisabled'] } = {}) => {
    sender = await startWebhookSender({
      db: db(),
      notifier: t.store.notifier,
      poster: createPoster({ policy: options.policy ?? settings.policy, resolver, connectTimeoutMs: 1_000, timeoutMs: options.timeoutMs ?? 3_000 }),
      box: settings.box,
      holder: 'test-sender',
      schedule: options.schedule ?? FAST,
      pollMs: 50,
      onEndpointDisabled: options.onEndpointDisabled,
    });
    return sender;
  };
  const endpoint = async (input: Partial<EndpointInput> = {}) => createEndpoint(db(), settings, t.projectId, { url: `${receiver.url}/hook`, ...input });

  async function addEmail(to = 'ann@example.org'): Promise<string> {
    const id = randomUUID();
    await db().insertInto('emails').values({
      id, project_id: t.projectId, campaign_id: null, from_address: 'shop@shop.example', to_address: to,
      tags: JSON.stringify(['receipt']), status: 'queued', priority: 1, message_id: `<${id}@shop.example>`,
    }).execute();
    return id;
  }
  const events = (emailId: string, ...list: Array<[NewEvent['type'], Record<string, unknown>?]>) =>
    appendEvents(db(), list.map(([type, metadata]) => ({ projectId: t.projectId, emailId, type, metadata })));
  const bodies = (hooks = receiver.received) => hooks.map((h) => JSON.parse(h.body) as { type: string; created_at: string; data: Record<string, unknown> });
  const deliveriesOf = (endpointId: string) =>
    db().selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId).orderBy('seq').execute();
  /**
   * Runs the outbox until it has read the last event written. On PostgreSQL an event is read only
   * once every older transaction of the server has ended (see events/event-log.repository.ts), and
   * the server is shared with other test runs: one batch may not see it yet. Returns the deliveries queued.
   */
  async function drainOutbox(): Promise<number> {
    // Ordered by the xid8, not by its text (which puts '999' after '1000').
    const last = await sql<{ txid: string; id: number }>`SELECT e.txid::text AS txid, e.id FROM events e ORDER BY e.txid DESC, e.id DESC LIMIT 1`.execute(db());
    const end = last.rows[0]!;
    let queued = 0;
    await eventually(async () => {
      const { deliveries, cursor } = await fillOutbox(db());
      queued += deliveries;
      return cursor.txid === end.txid && cursor.id === Number(end.id);
    });
    return queued;
  }
  const attemptsOf = (deliveryId: string) => db().selectFrom('webhook_attempts').selectAll().where('delivery_id', '=', deliveryId).orderBy('id').execute();

  it('delivers each event once, signed per Standard Webhooks, as {type, created_at, data}', async () => {
    const { row, secret } = await endpoint();
    const email = await addEmail();
    await events(email, ['queued'], ['sent', { transport: 'relay' }], ['delivered'], ['open', { counted: false, why: 'apple_mpp', ua: 'Mozilla/5.0' }], ['reclassified', { supersedes: 1 }]);
    expect(await drainOutbox()).toBe(4);
    expect((await fillOutbox(db())).deliveries).toBe(0);
    await startSender();
    const hooks = await receiver.waitFor(4);
    const verifier = new Webhook(secret);
    for (const hook of hooks) expect(verifier.verify(hook.body, hook.headers as Record<string, string>)).toEqual(JSON.parse(hook.body));
    expect(bodies().map((b) => b.type)).toEqual(['email.queued', 'email.sent', 'email.delivered', 'email.opened']);
    expect(bodies()[1]).toMatchObject({ created_at: expect.stringMatching(/Z$/), data: { email_id: email, to: 'ann@example.org', from: 'shop@shop.example', tags: ['receipt'], transport: 'relay' } });
    expect(bodies()[3]!.data).toMatchObject({ counted: false, why: 'apple_mpp' });
    const deliveries = await deliveriesOf(row.id);
    expect(hooks.map((h) => h.headers['webhook-id'])).toEqual(deliveries.map((d) => d.id));
    await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'delivered'));
    await new Promise((r) => setTimeout(r, 200));
    expect(receiver.received).toHaveLength(4);
  });

  it('sends an endpoint only its event types, and with counted_only only counted opens and clicks', async () => {
    const typed = await endpoint({ event_types: ['email.delivered', 'email.clicked'] });
    const counted = await endpoint({ url: `${receiver.url}/counted`, counted_only: true });
    const email = await addEmail();
    await events(email, ['queued'], ['delivered'], ['click', { counted: false, why: 'scanner' }], ['click', { counted: true }], ['open', { counted: true }]);
    await drainOutbox();
    expect((await deliveriesOf(typed.row.id)).map((d) => d.event_type)).toEqual(['email.delivered', 'email.clicked', 'email.clicked']);
    expect((await deliveriesOf(counted.row.id)).map((d) => [d.event_type, (d.payload.data as { counted?: boolean }).counted])).toEqual([
      ['email.queued', undefined], ['email.delivered', undefined], ['email.clicked', true], ['email.opened', true],
    ]);
  });

  it('queues nothing when a batch fails before its cursor moves, and each delivery once when it runs again', async () => {
    const { row } = await endpoint();
    const email = await addEmail();
    await events(email, ['queued'], ['sent'], ['delivered']);
    // Until the batch sees the events (see drainOutbox), it has nothing to crash in.
    const crash = await eventually(async () => fillOutbox(db(), { beforeCursorMoves: () => { throw new Error('crash'); } }).then(() => undefined, (err: Error) => err));
    expect(crash.message).toBe('crash');
    expect(await deliveriesOf(row.id)).toHaveLength(0);
    await drainOutbox();
    await drainOutbox();
    expect((await deliveriesOf(row.id)).map((d) => d.event_type)).toEqual(['email.queued', 'email.sent', 'email.delivered']);
  });

  it('retries a failure with the same webhook-id, logs each attempt, and gives up after the schedule', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    receiver.answer = () => ({ status: 500, body: 'down for maintenance' });
    await events(await addEmail(), ['queued'], ['sent']);
    await drainOutbox();
    await startSender();
    const hooks = await receiver.waitFor(4);
    const [delivery] = await eventually(async () => {
      const rows = await deliveriesOf(row.id);
      return rows[0]?.state === 'failed' && rows;
    });
    expect(new Set(hooks.map((h) => h.headers['webhook-id']))).toEqual(new Set([delivery!.id]));
    const attempts = await attemptsOf(delivery!.id);
    expect(attempts.map((a) => [a.status, a.response_excerpt])).toEqual(Array(4).fill([500, 'down for maintenance']));
    expect(attempts.at(-1)!.error).toContain('given up after 4 attempts');
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(4);
  });

  it('keeps the log\'s order per email: a later event waits while an earlier one is retried, other emails go on', async () => {
    await endpoint({ event_types: ['email.sent', 'email.delivered'] });
    const [a, b] = [await addEmail('a@example.org'), await addEmail('b@example.org')];
    let failures = 0;
    receiver.answer = (hook) => {
      const body = JSON.parse(hook.body);
      return body.data.email_id === a && body.type === 'email.sent' && failures++ < 2 ? { status: 503 } : { status: 204 };
    };
    await events(a, ['sent']);
    await events(a, ['delivered']);
    await events(b, ['sent']);
    await events(b, ['delivered']);
    await drainOutbox();
    await startSender();
    await receiver.waitFor(6);
    const seen = bodies().map((x) => `${x.data.email_id === a ? 'a' : 'b'}:${x.type}`);
    expect(seen.filter((s) => s.startsWith('a:'))).toEqual(['a:email.sent', 'a:email.sent', 'a:email.sent', 'a:email.delivered']);
    expect(seen.filter((s) => s.startsWith('b:'))).toEqual(['b:email.sent', 'b:email.delivered']);
    // b's deliveries did not wait for a's retries.
    expect(seen.indexOf('b:email.delivered')).toBeLessThan(seen.lastIndexOf('a:email.sent'));
  });

  /** The rows a claim reads from the endpoints' due ranges (EXPLAIN ANALYZE of the claim, rolled back). */
  async function rowsReadByClaim(): Promise<number> {
    type PlanNode = { 'Index Name'?: string; 'Actual Rows'?: number; 'Actual Loops'?: number; 'Rows Removed by Filter'?: number; Plans?: PlanNode[] };
    const walk = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(walk)];
    let plan: PlanNode | undefined;
    await db().transaction().execute(async (trx) => {
      await sql`SELECT set_config('enable_seqscan', 'off', true)`.execute(trx);
      const explained = await sql<{ 'QUERY PLAN': unknown }>`EXPLAIN (ANALYZE, FORMAT JSON) ${claimStatement(32, 60_000, 'explain')}`.execute(trx);
      const json = explained.rows[0]!['QUERY PLAN'];
      plan = (typeof json === 'string' ? JSON.parse(json) : json)[0].Plan;
      throw new Error('rollback');
    }).catch((err: Error) => { if (err.message !== 'rollback') throw err; });
    const walks = walk(plan!).filter((n) => n['Index Name'] === 'webhook_deliveries_endpoint_due');
    expect(walks.length).toBeGreaterThan(0);
    return walks.reduce((sum, n) => sum + (n['Actual Rows'] ?? 0) * (n['Actual Loops'] ?? 1) + (n['Rows Removed by Filter'] ?? 0), 0);
  }

  it('after an outage, a claim reads only what it may send, not the events waiting behind retried ones; once back, all arrive in order', async () => {
    const { row } = await endpoint();
    receiver.answer = () => ({ status: 503 });
    const emails: string[] = [];
    for (let i = 0; i < 20; i++) {
      emails.push(await addEmail(`o${i}@example.org`));
      await events(emails.at(-1)!, ['queued'], ['sent'], ['delivered'], ['open', { counted: true }]);
    }
    expect(await drainOutbox()).toBe(80);
    // The outage: each email's first delivery fails and waits a minute for its retry.
    await startSender({ schedule: { delaysMs: [60_000, 60_000], jitter: 0, retryAfterCapMs: 60_000 } });
    await receiver.waitFor(20);
    await eventually(async () => (await deliveriesOf(row.id)).filter((d) => d.attempts === 1 && d.locked_by === null).length === 20);
    // 60 deliveries wait behind those 20; a claim reads none of them (before, it read all 60).
    expect(await rowsReadByClaim()).toBe(0);
    // Turned off and on meanwhile, with the sender stopped: on again, each email's first is due
    // now, its later ones still wait, and a claim reads only as many as it takes.
    await sender!.stop();
    sender = undefined;
    for (const enabled of [false, true]) await t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${row.id}`, headers: t.auth, payload: { enabled } });
    const due = (await deliveriesOf(row.id)).filter((d) => d.next_attempt_at !== null);
    expect(due.map((d) => d.event_type)).toEqual(Array(20).fill('email.queued'));
    expect(await rowsReadByClaim()).toBe(MAX_IN_FLIGHT_PER_ENDPOINT);

    // The receiver is back.
    receiver.answer = () => ({ status: 204 });
    await startSender();
    await receiver.waitFor(20 + 80);
    await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'delivered'));
    const after = bodies().slice(20);
    for (const email of emails) {
      expect(after.filter((b) => b.data.email_id === email).map((b) => b.type)).toEqual(['email.queued', 'email.sent', 'email.delivered', 'email.opened']);
    }
    expect(new Set(receiver.received.slice(20).map((h) => h.headers['webhook-id'])).size).toBe(80);
  });

  it('has at most 4 requests in flight to one endpoint, and delivers all', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    receiver.answer = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 150));
    for (let i = 0; i < 12; i++) await events(await addEmail(`p${i}@example.org`), ['sent']);
    await drainOutbox();
    await startSender();
    await receiver.waitFor(12);
    await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'delivered'));
    expect(receiver.maxOpen).toBe(4);
  });

  it('claims at most the room an endpoint has left, and reaches an endpoint queued behind another\'s backlog', async () => {
    const busy = await endpoint({ event_types: ['email.sent'] });
    for (let i = 0; i < 10; i++) await events(await addEmail(`b${i}@example.org`), ['sent']);
    await drainOutbox();
    // The quiet endpoint hears only the last event: its one delivery is queued after the busy one's ten.
    const quiet = await endpoint({ event_types: ['email.sent'] });
    await events(await addEmail('q@example.org'), ['sent']);
    await drainOutbox();
    // Another process already sends one of the busy endpoint's deliveries.
    const [first] = await claimDueDeliveries(db(), 1, 60_000, 'other-process');
    expect(first!.endpoint_id).toBe(busy.row.id);

    const claimed = await claimDueDeliveries(db(), 32, 60_000, 'this-process');
    const by = (id: string) => claimed.filter((d) => d.endpoint_id === id).length;
    expect([by(busy.row.id), by(quiet.row.id)]).toEqual([MAX_IN_FLIGHT_PER_ENDPOINT - 1, 1]);
    expect(await claimDueDeliveries(db(), 32, 60_000, 'this-process')).toEqual([]);
    // A lease that ran out no longer counts: its holder is gone.
    await db().updateTable('webhook_deliveries').set({ locked_until: new Date(Date.now() - 1000) }).where('locked_by', '=', 'other-process').execute();
    expect(await claimDueDeliveries(db(), 32, 60_000, 'this-process')).toHaveLength(1);
    await db().updateTable('webhook_deliveries').set({ state: 'failed', next_attempt_at: null, locked_by: null, locked_until: null })
      .where('endpoint_id', 'in', [busy.row.id, quiet.row.id]).execute();
  });

  it.runIf(kind === 'postgres')('keeps at most 4 requests in flight to one endpoint from two sending processes on one database', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    receiver.answer = () => new Promise((resolve) => setTimeout(() => resolve({ status: 200 }), 60));
    for (let i = 0; i < 80; i++) await events(await addEmail(`p${i}@example.org`), ['sent']);
    await drainOutbox();
    // A second process: its own connections to the same database, its own holder name.
    const other = await openStore({ databaseUrl: t.store.url! });
    const posted = { first: 0, second: 0 };
    const counting = (which: keyof typeof posted): ReturnType<typeof createPoster> => {
      const poster = createPoster({ policy: settings.policy, resolver, connectTimeoutMs: 1_000, timeoutMs: 3_000 });
      return { ...poster, post: (...args) => { posted[which]++; return poster.post(...args); } };
    };
    const senders = await Promise.all([
      startWebhookSender({ db: db(), notifier: t.store.notifier, poster: counting('first'), box: settings.box, holder: 'process-1', schedule: FAST, pollMs: 20 }),
      startWebhookSender({ db: other.db, notifier: other.notifier, poster: counting('second'), box: settings.box, holder: 'process-2', schedule: FAST, pollMs: 20 }),
    ]);
    try {
      await receiver.waitFor(80, 30_000);
      await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'delivered'));
    } finally {
      for (const s of senders) await s.stop();
      await other.close();
    }
    expect(receiver.received).toHaveLength(80);
    expect(receiver.maxOpen).toBe(MAX_IN_FLIGHT_PER_ENDPOINT);
    expect(posted.first + posted.second).toBe(80);
  });

  it('disables the endpoint on a 410 and gives up its pending deliveries', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    receiver.answer = () => ({ status: 410 });
    const email = await addEmail();
    await events(email, ['sent']);
    await events(email, ['sent']);
    await drainOutbox();
    // The admins are told (the worker role mails them when SMTP_URL is set).
    const told: string[] = [];
    await startSender({ onEndpointDisabled: async (e, reason) => void told.push(`${e.id}: ${reason}`) });
    await receiver.waitFor(1);
    const disabled = await eventually(async () => {
      const e = await db().selectFrom('webhook_endpoints').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return !e.enabled && e.disabled_reason !== null ? e : undefined;
    });
    expect(disabled.disabled_reason).toContain('410');
    await eventually(async () => told.length > 0);
    expect(told).toEqual([`${row.id}: ${disabled.disabled_reason}`]);
    await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'failed'));
    expect(receiver.received).toHaveLength(1);
  });

  it('counts a redirect as a failure and never follows it; honours Retry-After', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    let n = 0;
    const answers: HookAnswer[] = [{ status: 302, headers: { location: `${receiver.url}/elsewhere` } }, { status: 503, headers: { 'retry-after': '1' } }, { status: 200 }];
    receiver.answer = () => answers[Math.min(n++, 2)]!;
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    await startSender();
    const hooks = await receiver.waitFor(3, 8_000);
    expect(hooks.every((h) => h.path === '/hook')).toBe(true);
    expect(hooks[2]!.at - hooks[1]!.at).toBeGreaterThanOrEqual(950);
    const [delivery] = await deliveriesOf(row.id);
    const attempts = await eventually(async () => {
      const list = await attemptsOf(delivery!.id);
      return list.length === 3 && list;
    });
    expect(attempts.map((a) => a.status)).toEqual([302, 503, 200]);
    expect(attempts[0]!.error).toContain('redirects are not followed');
  });

  it('keeps at most 4 KiB of an answer, and fails an attempt that gets no answer in time', async () => {
    const { row } = await endpoint({ event_types: ['email.sent', 'email.delivered'] });
    receiver.answer = (hook) => (JSON.parse(hook.body).type === 'email.sent' ? { status: 200, body: 'x'.repeat(10_000) } : 'hang');
    const email = await addEmail();
    await events(email, ['sent'], ['delivered']);
    await drainOutbox();
    await startSender({ timeoutMs: 300 });
    const [sent, delivered] = await deliveriesOf(row.id);
    const first = await eventually(async () => (await attemptsOf(sent!.id))[0]);
    expect(first.response_excerpt).toHaveLength(4096);
    const timedOut = await eventually(async () => (await attemptsOf(delivered!.id))[0]);
    expect(timedOut).toMatchObject({ status: null, error: expect.stringContaining('no answer within 300 ms') });
  });

  it('disables an endpoint whose every attempt failed for 5 days', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    await db().updateTable('webhook_endpoints').set({ failing_since: new Date(Date.now() - 5 * 86_400_000 - 60_000) }).where('id', '=', row.id).execute();
    receiver.answer = () => ({ status: 500 });
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    await startSender();
    const disabled = await eventually(async () => {
      const e = await db().selectFrom('webhook_endpoints').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
      return !e.enabled && e;
    });
    expect(disabled.disabled_reason).toMatch(/failed for 5 days/);
    const [delivery] = await eventually(async () => {
      const rows = await deliveriesOf(row.id);
      return rows[0]?.state === 'failed' && rows;
    });
    expect(delivery!.last_error).toContain('endpoint disabled: every attempt failed for 5 days');
  });

  it('signs with the old and the new secret for a day after a rotation', async () => {
    const { row, secret: old } = await endpoint({ event_types: ['email.sent'] });
    const { secret: next } = await rotateEndpointSecret(db(), settings, t.projectId, row.id, new Date());
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    await startSender();
    const [hook] = await receiver.waitFor(1);
    expect((hook!.headers['webhook-signature'] as string).split(' ')).toHaveLength(2);
    expect(new Webhook(next).verify(hook!.body, hook!.headers as Record<string, string>)).toBeTruthy();
    expect(new Webhook(old).verify(hook!.body, hook!.headers as Record<string, string>)).toBeTruthy();
    // A day later, the old one no longer signs.
    await db().updateTable('webhook_endpoints').set({ previous_secret_until: new Date(Date.now() - 1000) }).where('id', '=', row.id).execute();
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    const [, later] = await receiver.waitFor(2);
    expect((later!.headers['webhook-signature'] as string).split(' ')).toHaveLength(1);
    expect(() => new Webhook(old).verify(later!.body, later!.headers as Record<string, string>)).toThrow();
  });

  it('holds an endpoint\'s pending deliveries while it is disabled, queues none for it, and sends them once it is enabled', async () => {
    const { row } = await endpoint({ event_types: ['email.sent'] });
    receiver.answer = () => ({ status: 503 });
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    await startSender();
    await receiver.waitFor(1);
    const auth = t.auth;
    await t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${row.id}`, headers: auth, payload: { enabled: false } });
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    const held = await eventually(async () => {
      const rows = await deliveriesOf(row.id);
      return rows.every((d) => d.locked_by === null) && rows;
    });
    expect(held.map((d) => [d.state, d.next_attempt_at])).toEqual([['pending', null]]);
    receiver.answer = () => ({ status: 200 });
    const count = receiver.received.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(count);
    await t.app.inject({ method: 'PATCH', url: `/v1/webhooks/${row.id}`, headers: auth, payload: { enabled: true } });
    await eventually(async () => (await deliveriesOf(row.id))[0]?.state === 'delivered');
  });

  it('refuses 127.0.0.1 at connect time when its network is not allowed, and a name rebound to it since it was saved', async () => {
    resolver.names['rebind.example.com'] = ['93.184.216.34'];
    const direct = await endpoint({ event_types: ['email.sent'] });
    const rebound = await endpoint({ url: `http://rebind.example.com:${receiver.port}/hook`, event_types: ['email.sent'] });
    resolver.names['rebind.example.com'] = ['127.0.0.1'];
    await events(await addEmail(), ['sent']);
    await drainOutbox();
    await startSender({ policy: createAddressPolicy([]) });
    for (const e of [direct, rebound]) {
      const [delivery] = await deliveriesOf(e.row.id);
      const attempt = await eventually(async () => (await attemptsOf(delivery!.id))[0]);
      expect(attempt).toMatchObject({ status: null, error: expect.stringMatching(/127\.0\.0\.1 is a loopback address/) });
    }
    expect(receiver.received).toHaveLength(0);
  });

  it('replays an email\'s deliveries in the log\'s order, each once', async () => {
    const { row } = await endpoint({ event_types: ['email.sent', 'email.delivered', 'email.opened'] });
    const email = await addEmail();
    await events(email, ['sent'], ['delivered'], ['open', { counted: true }]);
    await drainOutbox();
    await startSender();
    await receiver.waitFor(3);
    await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'delivered'));
    const replay = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${row.id}/replay`, headers: t.auth, payload: { since: new Date(Date.now() - 60_000).toISOString() } });
    expect(replay.json()).toEqual({ queued: 3 });
    await receiver.waitFor(6);
    await eventually(async () => (await deliveriesOf(row.id)).every((d) => d.state === 'delivered'));
    const ids = (await deliveriesOf(row.id)).map((d) => d.id);
    expect(receiver.received.map((h) => h.headers['webhook-id'])).toEqual([...ids, ...ids]);
  });

  it('lists deliveries with their attempts, replays one or all since a time, and sends a test event', async () => {
    const { row, secret } = await endpoint({ event_types: ['email.sent'] });
    const email = await addEmail();
    await events(email, ['sent']);
    await drainOutbox();
    await startSender();
    await receiver.waitFor(1);
    const auth = t.auth;
    const log = await eventually(async () => {
      const res = await t.app.inject({ url: `/v1/webhooks/${row.id}/deliveries`, headers: auth });
      const body = res.json() as { data: Array<{ id: string; state: string }> };
      return body.data[0]?.state === 'delivered' ? body : undefined;
    });
    expect(log.data[0]).toMatchObject({ event_type: 'email.sent', email_id: email, attempts: 1, attempt_log: [{ status: 200, response_excerpt: 'ok', error: null }] });
    const id = log.data[0]!.id;

    const one = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${row.id}/deliveries/${id}/replay`, headers: auth });
    expect(one.json()).toEqual({ queued: 1 });
    await receiver.waitFor(2);
    expect(receiver.received[1]!.headers['webhook-id']).toBe(id);

    await eventually(async () => (await deliveriesOf(row.id))[0]?.state === 'delivered');
    const all = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${row.id}/replay`, headers: auth, payload: { since: new Date(Date.now() - 60_000).toISOString() } });
    expect(all.json()).toEqual({ queued: 1 });
    await receiver.waitFor(3);

    const test = await t.app.inject({ method: 'POST', url: `/v1/webhooks/${row.id}/test`, headers: auth });
    expect(test.statusCode).toBe(202);
    const hooks = await receiver.waitFor(4);
    expect(JSON.parse(hooks[3]!.body)).toMatchObject({ type: 'webhook.test', data: { endpoint_id: row.id } });
    expect(new Webhook(secret).verify(hooks[3]!.body, hooks[3]!.headers as Record<string, string>)).toBeTruthy();
    const after = (await t.app.inject({ url: `/v1/webhooks/${row.id}/deliveries?limit=1`, headers: auth })).json();
    expect(after.data[0].event_type).toBe('webhook.test');
    expect(after.next_cursor).toEqual(expect.any(String));
  });
});

