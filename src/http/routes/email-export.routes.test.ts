import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { newId } from '../../shared/ids.ts';
import { insertEmails } from '../../sending/index.ts';
import { csvCell } from './csv.ts';

describe.each(STORE_KINDS)('the email log filtered and exported on %s', (kind) => {
  let t: TestApp;
  const get = (url: string) => t.app.inject({ url, headers: t.auth });
  const ids = (res: { json(): { data: Array<{ id: string }> } }) => res.json().data.map((e) => e.id);
  const made: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp(kind);
    const email = (key: string, to: string, subject: string, tags: string[], createdAt: string) => {
      // Ids carry their creation time (UUIDv7): made from the instant, as the API would have.
      const at = new Date(createdAt).getTime();
      const id = `${at.toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7${newId().slice(15)}`;
      made[key] = id;
      return {
        id, project_id: t.projectId, from_address: 'shop@example.com', to_address: to, subject, html: null, text: 'hi', status: 'delivered',
        priority: 0, message_id: `<${id}@example.com>`, tags: JSON.stringify(tags), created_at: new Date(createdAt), updated_at: new Date(createdAt),
      };
    };
    await insertEmails(t.store.db, [
      email('old', 'ann@example.org', 'Your order #1', ['orders'], '2026-01-01T10:00:00Z'),
      email('mid', 'bob@example.net', 'Password reset', ['account'], '2026-02-01T10:00:00Z'),
      email('new', 'cy@example.org', '=HYPERLINK("http://evil")', ['orders', 'vip'], '2026-03-01T10:00:00Z'),
    ] as never);
  });
  afterAll(async () => t?.close());

  it('filters by tag, by a part of the recipient or subject, and by creation date, newest first', async () => {
    expect(ids(await get('/v1/emails?tag=orders'))).toEqual([made.new, made.old]);
    expect(ids(await get('/v1/emails?q=ORDER'))).toEqual([made.old]);
    expect(ids(await get('/v1/emails?q=example.org'))).toEqual([made.new, made.old]);
    expect(ids(await get('/v1/emails?q=50%25'))).toEqual([]);
    expect(ids(await get('/v1/emails?created_after=2026-01-15T00:00:00Z&created_before=2026-03-01T10:00:00Z'))).toEqual([made.mid]);
    expect(ids(await get('/v1/emails?created_after=2026-01-15T00:00:00Z&tag=orders'))).toEqual([made.new]);
    expect((await get('/v1/emails?created_after=yesterday')).json().error.code).toBe('validation_error');
  });

  it('pages a filtered log by cursor to the end', async () => {
    const first = (await get('/v1/emails?tag=orders&limit=1')).json();
    expect(first.data.map((e: { id: string }) => e.id)).toEqual([made.new]);
    const second = (await get(`/v1/emails?tag=orders&limit=1&cursor=${first.next_cursor}`)).json();
    expect(second.data.map((e: { id: string }) => e.id)).toEqual([made.old]);
  });

  it('exports the filtered view as CSV, a formula cell defused', async () => {
    const res = await get('/v1/emails/export.csv?tag=orders');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="emails-.*\.csv"$/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe('id,created_at,status,from,to,subject,campaign_id,tags,message_id');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`${made.new},2026-03-01T10:00:00.000Z,delivered,shop@example.com,cy@example.org,"'=HYPERLINK(""http://evil"")",,orders vip,`);
    expect(lines[2]).toContain(made.old);
    expect((await get('/v1/emails/export.csv?status=nope')).json().error.code).toBe('validation_error');
    expect((await t.app.inject({ url: '/v1/emails/export.csv' })).statusCode).toBe(401);
  });
});

describe('a CSV cell', () => {
  it.each([
    ['plain', 'plain'],
    ['=1+1', "'=1+1"],
    ['+33 1', "'+33 1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
  ])('%j is written %j', (value, written) => expect(csvCell(value)).toBe(written));
});
