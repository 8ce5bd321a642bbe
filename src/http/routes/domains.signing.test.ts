// A domain added over the API while Sendtrail runs is used for signing at once: the worker had
// cached "no key" for it (mail was sent from it before), and signs the next message all the same.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dkimVerify } from 'mailauth/lib/dkim/verify.js';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { eventually, startTestWorker } from '../../../test/support/test-worker.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';

type PublishedRecord = { type: string; name: string; value: string };

/** DNS for the verifier: exactly the records the API said to publish. */
const dnsOf = (records: PublishedRecord[]) => async (name: string, rrtype: string) => {
  const found = records.filter((r) => r.type === rrtype && r.name === name.toLowerCase());
  if (found.length === 0) throw Object.assign(new Error(`ENOTFOUND ${name}`), { code: 'ENOTFOUND' });
  return found.map((r) => [r.value]);
};

describe.each(STORE_KINDS)('a domain added over the API to a running app on %s', (kind) => {
  let t: TestApp;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  beforeAll(async () => {
    t = await createTestApp(kind);
    worker = await startTestWorker(t.store);
  });
  afterAll(async () => {
    await worker?.stop();
    await t?.close();
  });

  const sendAndCapture = async (from: string): Promise<Buffer> => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/emails', headers: t.auth, payload: { from, to: 'ann@example.org', subject: 'Order', text: 'Thanks!' } });
    expect(res.statusCode, res.body).toBe(202);
    const id = res.json().data[0].id as string;
    const row = await eventually(() => t.store.db.selectFrom('captured_messages').select('raw').where('email_id', '=', id).executeTakeFirst());
    return Buffer.from(row.raw);
  };

  it('signs the next message from it with the new key, which verifies against the records the API gave', async () => {
    const before = await sendAndCapture('Shop <shop@signed.example.com>');
    expect(before.toString()).not.toMatch(/^DKIM-Signature:/im);

    const added = await t.app.inject({ method: 'POST', url: '/v1/domains', headers: t.auth, payload: { domain: 'signed.example.com' } });
    expect(added.statusCode).toBe(201);
    const after = await sendAndCapture('Shop <shop@signed.example.com>');
    const { results } = await dkimVerify(after, { resolver: dnsOf(added.json().records) });
    expect(results.map((r) => ({ domain: r.signingDomain, result: r.status.result }))).toEqual([{ domain: 'signed.example.com', result: 'pass' }]);

    // Removed: the next message goes out unsigned again.
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/domains/signed.example.com', headers: t.auth })).statusCode).toBe(200);
    expect((await sendAndCapture('shop@signed.example.com')).toString()).not.toMatch(/^DKIM-Signature:/im);
  });
});
