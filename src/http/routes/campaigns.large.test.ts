import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { expandAllCampaigns } from '../../../test/support/expand-campaigns.ts';

const RECIPIENTS = 100_000;

// The < 3 s target for this request is measured by benchmarks, not asserted here: a shared
// 2-core machine makes timed tests flaky. The elapsed time is printed for the record.
describe.each(STORE_KINDS)('a 100,000-recipient campaign on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  it('is accepted through the API, then expanded into one email and one queued event per recipient', { timeout: 180_000 }, async () => {
    const payload = JSON.stringify({
      name: 'Big list',
      from: 'Shop <news@shop.example>',
      subject: 'Hi {{data.first}}',
      html: '<p>Hello {{data.first}}</p>',
      recipients: Array.from({ length: RECIPIENTS }, (_, i) => ({ email: `user${i}@example.org`, data: { first: `User ${i}` } })),
    });
    const started = performance.now();
    const res = await t.app.inject({ method: 'POST', url: '/v1/campaigns', headers: { ...t.auth, 'content-type': 'application/json' }, payload });
    const elapsedMs = performance.now() - started;
    console.log(`[${kind}] POST /v1/campaigns with ${RECIPIENTS} recipients (${(payload.length / 1e6).toFixed(1)} MB): ${elapsedMs.toFixed(0)} ms`);

    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ status: 'sending', recipient_count: RECIPIENTS, recipients: { added: RECIPIENTS, duplicates: 0 } });
    const id = res.json().id as string;
    const before = (await t.app.inject({ url: `/v1/campaigns/${id}/stats`, headers: t.auth })).json();
    expect(before).toMatchObject({ status: 'sending', preparing: RECIPIENTS, counts: { queued: RECIPIENTS, total: RECIPIENTS } });
    const expandStarted = performance.now();
    expect(await expandAllCampaigns(t.store.db)).toBe(RECIPIENTS);
    console.log(`[${kind}] expanded into ${RECIPIENTS} emails and events in ${(performance.now() - expandStarted).toFixed(0)} ms`);
    const { rows } = await sql<{ emails: number; events: number }>`
      SELECT (SELECT count(*) FROM emails WHERE campaign_id = ${id} AND status = 'queued')::int AS emails,
             (SELECT count(*) FROM events ev JOIN emails e ON e.id = ev.email_id WHERE e.campaign_id = ${id} AND ev.event_type = 'queued')::int AS events
    `.execute(t.store.db);
    expect(rows[0]).toEqual({ emails: RECIPIENTS, events: RECIPIENTS });
    const stats = (await t.app.inject({ url: `/v1/campaigns/${id}/stats`, headers: t.auth })).json();
    expect(stats).toMatchObject({ preparing: 0, counts: { queued: RECIPIENTS, total: RECIPIENTS } });
  });
});
