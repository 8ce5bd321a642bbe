// Alerts end to end on both stores: a campaign to 600 hard-bouncing simulator addresses, sent by a
// real worker, pauses itself under the default rules and sends again once resumed; a complaint
// rate over the line triggers, goes out as alert.triggered through the webhook outbox and resolves
// when a project raises its line; the rules API refuses bad settings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { createTestApp, type TestApp } from '../../test/support/test-app.ts';
import { STORE_KINDS } from '../../test/support/test-store.ts';
import { eventually, startTestWorker } from '../../test/support/test-worker.ts';
import { rollUpNow } from '../../test/support/roll-up.ts';
import { expandAllCampaigns } from '../../test/support/expand-campaigns.ts';
import { testWebhookSettings, tableResolver } from '../../test/support/webhook-settings.ts';
import { appendEvents, type NewEvent } from '../events/index.ts';
import { createEndpoint } from '../webhooks/index.ts';
import { pauseCampaign } from '../campaigns/index.ts';
import { claimStatement } from '../delivery/queue.repository.ts';
import { newId } from '../shared/ids.ts';
import { collectSignals, evaluateProject } from './index.ts';

const settings = testWebhookSettings({ resolver: tableResolver({ 'hooks.example.com': ['127.0.0.1'] }), allowedNetworks: ['127.0.0.1/32'] });

describe.each(STORE_KINDS)('alerts on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { webhooks: settings });
  });
  afterAll(async () => t?.close());
  const db = () => t.store.db;
  const api = (method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown) => t.app.inject({ method, url, headers: t.auth, payload: payload as object });
  const evaluate = () => evaluateProject(db(), t.projectId, { force: true });
  /** Rolls up until the campaign's rollups count `sent` emails (on PostgreSQL, other runs' open transactions may hold the log back). */
  const rolledUp = (campaignId: string, sent: number) => eventually(async () => {
    await rollUpNow(db());
    const { rows } = await sql<{ n: string }>`SELECT coalesce(sum(sent), 0) AS n FROM stats_hourly WHERE campaign_id = ${campaignId} AND tag = ''`.execute(db());
    return Number(rows[0]!.n) >= sent;
  }, 20_000);

  it('a campaign to 600 hard-bouncing addresses pauses itself under the default rules, holds what is added, and sends it once resumed', async () => {
    const worker = await startTestWorker(t.store);
    try {
      const recipients = Array.from({ length: 600 }, (_, i) => ({ email: `bounce+${i}@simulator.test` }));
      const created = await api('POST', '/v1/campaigns', { name: 'Old list', from: 'news@shop.example', subject: 'Hi', html: '<p>Hi</p>', recipients });
      expect(created.statusCode).toBe(201);
      const id = created.json().id as string;
      // All bounced (the campaign's counters), then the rollups: folding while the worker sends
      // would compete with it for PGlite's one thread.
      await eventually(async () => Number((await db().selectFrom('campaign_counters').select('n').where('campaign_id', '=', id).where('counter', '=', 'status:bounced').executeTakeFirst())?.n ?? 0) === 600, 45_000);
      await rolledUp(id, 600);

      const { changes, paused } = await evaluate();
      const alert = changes.find((c) => c.alert.rule === 'campaign_hard_bounce_rate')?.alert;
      expect(alert).toMatchObject({ level: 'critical', state: 'triggered', subject: `campaign:${id}`, value: 1, threshold: 0.05 });
      expect(Number(alert!.volume)).toBe(600);
      expect(paused).toEqual([id]);
      const campaign = (await api('GET', `/v1/campaigns/${id}`)).json();
      expect(campaign).toMatchObject({ status: 'paused' });
      expect(campaign.paused_reason).toContain('Hard-bounce rate 100.0 %');
      expect((await api('GET', '/v1/alerts?state=triggered&rule=campaign_hard_bounce_rate')).json().data).toEqual([expect.objectContaining({ id: alert!.id, level: 'critical', campaign_id: id })]);

      // Recipients added while paused wait: none becomes an email, none is sent.
      const more = Array.from({ length: 20 }, (_, i) => JSON.stringify({ email: `delivered+${i}@simulator.test` })).join('\n');
      const added = await t.app.inject({ method: 'POST', url: `/v1/campaigns/${id}/recipients`, headers: { ...t.auth, 'content-type': 'application/x-ndjson' }, payload: more });
      expect(added.json()).toMatchObject({ added: 20 });
      await new Promise((r) => setTimeout(r, 500));
      const delivered = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM emails WHERE campaign_id = ${id} AND status = 'delivered'`.execute(db())).rows[0]!.n);
      expect(await delivered()).toBe(0);

      const resumed = await api('POST', `/v1/campaigns/${id}/resume`);
      expect(resumed.statusCode).toBe(200);
      expect(resumed.json()).toMatchObject({ status: 'sending' });
      await eventually(async () => (await delivered()) === 20, 20_000);
      // Resuming what is not paused is a 409; both attempts are in the audit log, by the API key.
      expect((await api('POST', `/v1/campaigns/${id}/resume`)).json().error.code).toBe('campaign_not_paused');
      const audited = await db().selectFrom('audit_log').select(['actor_type', 'outcome', 'details']).where('action', '=', 'campaign.resume').where('target_id', '=', id).orderBy('seq').execute();
      expect(audited.map((a) => [a.actor_type, a.outcome])).toEqual([['api_key', 'success'], ['api_key', 'failed']]);
      expect(audited[0]!.details).toEqual({ resumed: resumed.json().resumed });
    } finally {
      await worker.stop();
    }
  }, 60_000);

  it('a paused campaign\'s queued emails leave the queue, so the claim never reads them, and come back on resume', async () => {
    const recipients = Array.from({ length: 30 }, (_, i) => ({ email: `r${i}@example.org` }));
    const id = (await api('POST', '/v1/campaigns', { name: 'Held', from: 'news@shop.example', subject: 'Hi', html: '<p>Hi</p>', recipients })).json().id as string;
    await expandAllCampaigns(db());
    const claimable = async () => Number((await sql<{ n: string }>`SELECT count(*) AS n FROM emails WHERE campaign_id = ${id} AND next_attempt_at IS NOT NULL`.execute(db())).rows[0]!.n);
    expect(await claimable()).toBe(30);
    const p = await db().transaction().execute((trx) => pauseCampaign(trx, t.projectId, id, 'test'));
    expect(p).toEqual({ id, paused: true, held: 30 });
    expect(await claimable()).toBe(0);
    // A claim (rolled back: no worker is to take them) gets none of them.
    const claimedIds = await db().transaction().execute(async (trx) => {
      const { rows } = await claimStatement('probe', 1000, 60_000).execute(trx);
      throw Object.assign(new Error('rollback'), { rows });
    }).catch((e: { rows: Array<{ campaign_id: string | null }> }) => e.rows.map((r) => r.campaign_id));
    expect(claimedIds).not.toContain(id);
    expect((await api('GET', `/v1/campaigns/${id}`)).json().status).toBe('paused');
    expect((await api('POST', `/v1/campaigns/${id}/resume`)).json()).toEqual({ id, status: 'sending', resumed: 30 });
    expect(await claimable()).toBe(30);
    await api('POST', `/v1/campaigns/${id}/cancel`);
  });

  it('a complaint rate over the line triggers, is sent as alert.triggered, and resolves when the project raises its line', async () => {
    const endpoint = await createEndpoint(db(), settings, t.projectId, { url: 'http://hooks.example.com/hook', event_types: ['alert.triggered', 'alert.resolved'] });
    // 2,000 delivered to Gmail from one sending domain, 12 complaints (0.6 %): critical under the defaults.
    const emails = Array.from({ length: 2_000 }, () => newId());
    await sql`
      INSERT INTO emails (id, project_id, from_address, to_address, status, priority, message_id)
      SELECT id, ${t.projectId}, 'news@complaints.example', 'p' || n || '@gmail.com', 'delivered', 1, '<' || id || '@x>'
      FROM unnest(${emails}::uuid[]) WITH ORDINALITY AS r(id, n)
    `.execute(db());
    const ev = (emailId: string, type: NewEvent['type']): NewEvent => ({ projectId: t.projectId, emailId, type });
    await appendEvents(db(), [...emails.flatMap((e) => [ev(e, 'queued'), ev(e, 'sent'), ev(e, 'delivered')]), ...emails.slice(0, 12).map((e) => ev(e, 'complaint'))]);
    await eventually(async () => {
      await rollUpNow(db());
      const { rows } = await sql<{ n: string }>`SELECT coalesce(sum(complainers), 0) AS n FROM stats_hourly WHERE project_id = ${t.projectId} AND sending_domain = 'complaints.example' AND tag = ''`.execute(db());
      return Number(rows[0]!.n) === 12;
    }, 20_000);

    const first = await evaluate();
    const complaints = first.changes.filter((c) => c.alert.rule === 'complaint_rate').map((c) => [c.alert.subject, c.alert.window, c.alert.level]);
    expect(complaints.sort()).toEqual([
      ['provider:gmail', '24h', 'critical'], ['provider:gmail', '7d', 'critical'],
      ['sending_domain:complaints.example', '24h', 'critical'], ['sending_domain:complaints.example', '7d', 'critical'],
    ]);
    // Nothing changes, nothing is told again.
    expect((await evaluate()).changes.filter((c) => c.alert.rule === 'complaint_rate')).toEqual([]);
    const ofComplaints = <T extends { payload: unknown }>(rows: T[]) => rows.filter((h) => (h.payload as { data: { rule: string } }).data.rule === 'complaint_rate');
    const hooks = ofComplaints(await db().selectFrom('webhook_deliveries').select(['event_type', 'email_id', 'payload']).where('endpoint_id', '=', endpoint.row.id).execute());
    expect(hooks).toHaveLength(4);
    expect(hooks.every((h) => h.event_type === 'alert.triggered' && h.email_id === null)).toBe(true);
    expect((hooks[0]!.payload as { data: { level: string } }).data.level).toBe('critical');

    // Bad settings are refused whole.
    for (const body of [{ complaint_rate: { warn: 2 } }, { complaint_rate: { warn: 0.01, critical: 0.005 } }, { nope: {} }, { complaint_rate: { min_volume: 0 } }, { auth_refusal: { warn: 0.5 } }, {}]) {
      const res = await api('PUT', '/v1/alert-rules', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('validation_error');
    }
    const put = await api('PUT', '/v1/alert-rules', { complaint_rate: { warn: 0.01, critical: 0.02 } });
    expect(put.statusCode).toBe(200);
    expect(put.json().data.find((r: { rule: string }) => r.rule === 'complaint_rate')).toMatchObject({ warn: 0.01, critical: 0.02, min_volume: 2_000, defaults: { warn: 0.0008 } });
    // Every attempt is in the audit log: the six refused as failed, the change with the rules it named.
    const audited = await db().selectFrom('audit_log').select(['outcome', 'details']).where('action', '=', 'alert_rules.update').orderBy('seq').execute();
    expect(audited.map((a) => a.outcome)).toEqual([...Array(6).fill('failed'), 'success']);
    expect(audited[6]!.details).toEqual({ rules: ['complaint_rate'] });

    const second = await evaluate();
    expect(second.changes.filter((c) => c.alert.rule === 'complaint_rate').map((c) => c.kind)).toEqual(['resolved', 'resolved', 'resolved', 'resolved']);
    const resolved = ofComplaints(await db().selectFrom('webhook_deliveries').select(['event_type', 'payload']).where('endpoint_id', '=', endpoint.row.id).where('event_type', '=', 'alert.resolved').execute());
    expect(resolved).toHaveLength(4);
    const history = (await api('GET', '/v1/alerts?rule=complaint_rate&state=resolved')).json();
    expect(history.data).toHaveLength(4);
    expect(history.data[0].resolved_at).not.toBeNull();
  }, 60_000);

  it('an authentication refusal from the simulator sets off auth_refusal; an unsubscribe left unsuppressed for 24 hours sets off its rule until suppressed', async () => {
    const worker = await startTestWorker(t.store);
    let emailId: string;
    try {
      const sent = await api('POST', '/v1/emails', { from: 'shop@auth.example', to: 'authfail@simulator.test', subject: 'Hi', text: 'Hi' });
      emailId = sent.json().data[0].id as string;
      await eventually(async () => (await db().selectFrom('emails').select('status').where('id', '=', emailId).executeTakeFirst())?.status === 'bounced');
    } finally {
      await worker.stop();
    }
    // The alerts' reader of the log keeps the refusal (on PostgreSQL once older transactions of the shared server end).
    await eventually(async () => {
      await collectSignals(db());
      return (await db().selectFrom('alert_signals').select('code').where('email_id', '=', emailId).executeTakeFirst())?.code === '5.7.26';
    }, 20_000);
    const auth = (await evaluate()).changes.find((c) => c.alert.rule === 'auth_refusal')?.alert;
    expect(auth).toMatchObject({ level: 'warning', subject: 'provider:other', window: '24h', value: 1 });
    expect(auth!.message).toContain('5.7.26');

    // An unsubscribe whose address is not on the list (the unsubscribe link suppresses in the same
    // transaction; here the event alone, as if the suppression had been removed since).
    const unsubscribed = newId();
    await db().insertInto('emails').values({ id: unsubscribed, project_id: t.projectId, from_address: 'shop@auth.example', to_address: 'gone@example.org', status: 'delivered', priority: 1, message_id: `<${unsubscribed}@x>` }).execute();
    await appendEvents(db(), [{ projectId: t.projectId, emailId: unsubscribed, type: 'unsubscribe', metadata: { method: 'one_click' } }]);
    await eventually(async () => {
      await collectSignals(db());
      return (await db().selectFrom('alert_signals').select('id').where('email_id', '=', unsubscribed).where('kind', '=', 'unsubscribe').executeTakeFirst()) !== undefined;
    }, 20_000);
    const ruleOf = async (now: Date) => (await evaluateProject(db(), t.projectId, { force: true, now })).changes.filter((c) => c.alert.rule === 'unsubscribe_not_suppressed');
    expect(await ruleOf(new Date(Date.now() + 3_600_000))).toEqual([]);
    const later = new Date(Date.now() + 25 * 3_600_000);
    expect((await ruleOf(later)).map((c) => [c.kind, c.alert.level, c.alert.value])).toEqual([['triggered', 'warning', 1]]);
    expect((await api('POST', '/v1/suppressions', { email: 'gone@example.org' })).statusCode).toBe(201);
    expect((await ruleOf(later)).map((c) => c.kind)).toEqual(['resolved']);
  }, 60_000);
});
