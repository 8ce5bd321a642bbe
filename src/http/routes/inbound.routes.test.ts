// The inbound mail API: unmatched mail is listed, not dropped, and its raw message can be fetched;
// another project sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { classifyReturnedMessage } from '../../bounces/index.ts';
import { ingestMessage } from '../../inbound/index.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';

const domains = { bounceDomain: 'bounces.sendtrail.test', replyDomain: 'replies.sendtrail.test' };

describe.each(STORE_KINDS)('the inbound mail API on %s', (kind) => {
  let t: TestApp;
  let inboundId: string;
  const raw = Buffer.from('From: someone@example.net\r\nSubject: Hello \xe9t\xe9\r\n\r\nA message about nothing we sent.\r\n', 'latin1');

  beforeAll(async () => {
    t = await createTestApp(kind);
    const deps = { db: t.store.db, classify: classifyReturnedMessage, secret: 's', domains, fallbackProjectId: t.projectId, softBounceSuppressCount: 3 };
    inboundId = (await ingestMessage(deps, { mailFrom: 'someone@example.net', rcptTo: ['sales@replies.sendtrail.test'] }, raw)).inboundId;
  });
  afterAll(async () => t?.close());

  it('lists mail that matched no email under matched=false, with its envelope and subject', async () => {
    const res = (await t.app.inject({ url: '/v1/inbound?matched=false', headers: t.auth })).json();
    expect(res.data[0]).toMatchObject({ id: inboundId, matched: false, email_id: null, mail_from: 'someone@example.net', rcpt_to: ['sales@replies.sendtrail.test'], event_count: 0 });
    expect((await t.app.inject({ url: '/v1/inbound?matched=true', headers: t.auth })).json().data).toEqual([]);
  });

  it('returns the message byte for byte as message/rfc822', async () => {
    const res = await t.app.inject({ url: `/v1/inbound/${inboundId}/raw`, headers: t.auth });
    expect(res.headers['content-type']).toContain('message/rfc822');
    expect(res.rawPayload.equals(raw)).toBe(true);
  });

  it("is 404 for another project's key and for a malformed id; a bad filter is 400", async () => {
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    const otherAuth = { authorization: `Bearer ${(await createApiKey(t.store.db, other, 'o')).key}` };
    expect((await t.app.inject({ url: `/v1/inbound/${inboundId}`, headers: otherAuth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/inbound/not-a-uuid', headers: t.auth })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/v1/inbound?matched=maybe', headers: t.auth })).statusCode).toBe(400);
  });
});
