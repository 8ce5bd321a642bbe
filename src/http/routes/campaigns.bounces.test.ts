// GET /v1/campaigns/:id/bounces on both stores: why a campaign's emails bounced, grouped, with a
// server reply to read, and nothing of another campaign or project.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { expandAllCampaigns } from '../../../test/support/expand-campaigns.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { appendEvents, type NewEvent } from '../../events/index.ts';
import { campaignBounces } from '../../campaigns/index.ts';
import { newId } from '../../shared/ids.ts';

describe.each(STORE_KINDS)('a campaign\'s bounces by reason on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => t?.close());

  async function campaignWith(n: number) {
    const recipients = Array.from({ length: n }, (_, i) => ({ email: `r${i}@example.org` }));
    const res = await t.app.inject({ method: 'POST', url: '/v1/campaigns', headers: t.auth, payload: { name: 'B', from: 'news@shop.example', subject: 'Hi', html: '<p>Hi</p>', recipients } });
    const id = res.json().id as string;
    await expandAllCampaigns(t.store.db);
    const rows = await t.store.db.selectFrom('emails').select('id').where('campaign_id', '=', id).orderBy('to_address').execute();
    return { id, emails: rows.map((r) => r.id) };
  }
  const bounce = (emailId: string, bounce_type: string, reason: string, diagnostic: string): NewEvent => ({ projectId: t.projectId, emailId, type: 'bounced', metadata: { bounce_type, reason, diagnostic } });

  it('groups bounced emails by type and reason, most frequent first, with a reply as example', async () => {
    const { id, emails: e } = await campaignWith(6);
    const other = await campaignWith(2);
    await sql`UPDATE emails SET status = 'bounced' WHERE id = ANY(${[...e.slice(0, 4), ...other.emails]}::uuid[])`.execute(t.store.db);
    await appendEvents(t.store.db, [
      bounce(e[0]!, 'hard', 'unknown_user', '550 5.1.1 no such user'),
      bounce(e[1]!, 'hard', 'unknown_user', '550 5.1.1 no such user'),
      bounce(e[2]!, 'hard', 'unknown_user', '550 5.1.1 no such user'),
      bounce(e[3]!, 'soft', 'mailbox_full', '452 4.2.2 mailbox full'),
      bounce(other.emails[0]!, 'hard', 'policy', '550 5.7.1 blocked'),
    ]);
    const res = await t.app.inject({ url: `/v1/campaigns/${id}/bounces`, headers: t.auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      campaign_id: id,
      data: [
        { bounce_type: 'hard', reason: 'unknown_user', emails: 3, example: '550 5.1.1 no such user' },
        { bounce_type: 'soft', reason: 'mailbox_full', emails: 1, example: '452 4.2.2 mailbox full' },
      ],
      emails_read: 4,
      limit: 10_000,
    });
    // The read stops at its limit and says so.
    expect(await campaignBounces(t.store.db, t.projectId, id, 2)).toMatchObject({ emails_read: 2, limit: 2 });
  });

  it('is empty before any bounce, and 404 for an unknown or malformed campaign', async () => {
    const { id } = await campaignWith(1);
    expect((await t.app.inject({ url: `/v1/campaigns/${id}/bounces`, headers: t.auth })).json()).toMatchObject({ data: [], emails_read: 0 });
    expect((await t.app.inject({ url: `/v1/campaigns/${newId()}/bounces`, headers: t.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/campaigns/nope/bounces', headers: t.auth })).json().error.code).toBe('not_found');
  });
});
