// Importing and exporting the suppression list as CSV, on both stores: a provider's list goes in
// with its bad lines named, comes back out as a file a spreadsheet opens without running formulas,
// and neither crosses projects.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/support/test-app.ts';
import { STORE_KINDS } from '../../../test/support/test-store.ts';
import { createApiKey } from '../../projects/api-keys.ts';
import { newId } from '../../shared/ids.ts';
import { CsvParser } from '../../shared/csv-parser.ts';

describe.each(STORE_KINDS)('suppression import and export on %s', (kind) => {
  let t: TestApp;
  let otherAuth: { authorization: string };
  beforeAll(async () => {
    t = await createTestApp(kind);
    const other = newId();
    await t.store.db.insertInto('projects').values({ id: other, name: 'Other' }).execute();
    otherAuth = { authorization: `Bearer ${(await createApiKey(t.store.db, other, 'other')).key}` };
  });
  afterAll(async () => t?.close());

  const importCsv = (csv: string | Buffer, query = '', headers = t.auth) =>
    t.app.inject({ method: 'POST', url: `/v1/suppressions/import${query}`, headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
  const exportCsv = async (query = '', headers = t.auth) => {
    const res = await t.app.inject({ url: `/v1/suppressions/export${query}`, headers });
    expect(res.statusCode).toBe(200);
    return res;
  };
  const parse = (text: string) => {
    const p = new CsvParser();
    return [...p.push(text), ...p.end()].map((r) => r.fields);
  };

  it('adds every valid line, names each bad line, and counts addresses already listed', async () => {
    await t.app.inject({ method: 'POST', url: '/v1/suppressions', headers: t.auth, payload: { email: 'known@example.org' } });
    const csv = '\ufeffEmail,Reason\r\nAnn@Example.org,complaint\r\nbob@example.org,\r\nnot an address,manual\r\nkNown@example.org,manual\r\ncid@example.org,because\r\nann@example.org,hard_bounce\r\n';
    const res = await importCsv(csv, '?reason=unsubscribe');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({
      added: 2,
      already_listed: 2,
      invalid: 2,
      invalid_lines: [
        { line: 4, reason: '"not an address" is not a valid email address' },
        { line: 6, reason: '"because" is not a reason (hard_bounce, soft_bounces, complaint, unsubscribe, manual, simulator)' },
      ],
    });
    const listed = (await t.app.inject({ url: '/v1/suppressions?limit=100', headers: t.auth })).json().data as Array<{ email: string; reason: string }>;
    // The first line of an address wins; an empty reason takes the request's.
    expect(listed.find((s) => s.email === 'ann@example.org')?.reason).toBe('complaint');
    expect(listed.find((s) => s.email === 'bob@example.org')?.reason).toBe('unsubscribe');
    expect(listed.find((s) => s.email === 'known@example.org')?.reason).toBe('manual');
  });

  it('imports a list of thousands streamed in small chunks', async () => {
    const lines = Array.from({ length: 2_500 }, (_, i) => `bulk${i}@example.net`);
    const res = await importCsv(Buffer.from(`email\n${lines.join('\n')}\n`));
    expect(res.json()).toMatchObject({ added: 2_500, invalid: 0 });
    const rows = parse((await exportCsv('?reason=manual')).body).slice(1);
    expect(rows.filter((r) => r[0]!.startsWith('bulk'))).toHaveLength(2_500);
  });

  it('refuses a file without an email column, an empty file, and another content type', async () => {
    const noEmail = await importCsv('address,reason\na@example.org,manual\n');
    expect(noEmail.statusCode).toBe(422);
    expect(noEmail.json().error.code).toBe('invalid_recipients_file');
    expect((await importCsv('')).json().error.message).toMatch(/empty/);
    const json = await t.app.inject({ method: 'POST', url: '/v1/suppressions/import', headers: t.auth, payload: { email: 'a@example.org' } });
    expect(json.statusCode).toBe(415);
    expect((await importCsv('email\na@example.org\n', '?reason=nope')).statusCode).toBe(400);
  });

  it('exports as a CSV download with the source email, in address order, and a formula stays text', async () => {
    const emailId = newId();
    const { projectId } = t;
    await t.store.db.insertInto('suppressions').values([
      { project_id: projectId, email: '=cmd|"/c calc"!a0@example.org', reason: 'manual', source_email_id: null },
      { project_id: projectId, email: 'bounced@example.org', reason: 'hard_bounce', source_email_id: emailId },
    ]).execute();
    const res = await exportCsv();
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="suppressions-\d{4}-\d{2}-\d{2}\.csv"$/);
    const rows = parse(res.body);
    expect(rows[0]).toEqual(['email', 'reason', 'source_email_id', 'created_at']);
    const emails = rows.slice(1).map((r) => r[0]!);
    expect(emails).toEqual([...emails].sort());
    expect(rows.find((r) => r[0] === 'bounced@example.org')?.slice(1, 3)).toEqual(['hard_bounce', emailId]);
    expect(emails).toContain(`'=cmd|"/c calc"!a0@example.org`);
    expect(emails.some((e) => /^[=+\-@]/.test(e))).toBe(false);
    // What was exported imports again as it was.
    const again = await importCsv(res.body);
    expect(again.json()).toMatchObject({ added: 0, invalid: 1 });
  });

  it('keeps each project to its own list', async () => {
    expect(parse((await exportCsv('', otherAuth)).body)).toEqual([['email', 'reason', 'source_email_id', 'created_at']]);
    await importCsv('email\nother-only@example.org\n', '', otherAuth);
    expect((await exportCsv()).body).not.toContain('other-only@example.org');
  });
});
