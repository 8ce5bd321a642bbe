import { describe, expect, it } from 'vitest';
import { parseRecipientsStream, type ParsedChunk, type RecipientsFormat } from './parse-recipients-stream.ts';

async function parse(format: RecipientsFormat, ...chunks: Array<string | Buffer>) {
  async function* body() {
    yield* chunks;
  }
  const all: ParsedChunk = { recipients: [], bad: [] };
  for await (const c of parseRecipientsStream(body(), format)) {
    all.recipients.push(...c.recipients);
    all.bad.push(...c.bad);
  }
  return all;
}

describe('parseRecipientsStream', () => {
  it('reads NDJSON lines split anywhere, lower-casing addresses and keeping data as JSON', async () => {
    const { recipients, bad } = await parse('ndjson', '{"email":"Ann@Example.com","data":{"first":"Ann"}}\n{"em', 'ail":"bob@example.com"}\r\n\n');
    expect(bad).toEqual([]);
    expect(recipients).toEqual([
      { line: 1, email: 'ann@example.com', data: '{"first":"Ann"}' },
      { line: 2, email: 'bob@example.com', data: null },
    ]);
  });

  it('reports each bad NDJSON line with its number and why', async () => {
    const { recipients, bad } = await parse('ndjson', 'nope\n[1]\n{"email":"x"}\n{"email":"a@b.co","nmae":1}\n{"email":"a@b.co","data":[1]}\n{"email":"c@d.co"}\n');
    expect(recipients.map((r) => r.line)).toEqual([6]);
    expect(bad.map((b) => b.line)).toEqual([1, 2, 3, 4, 5]);
    expect(bad[3]!.reason).toMatch(/unknown field "nmae"/);
  });

  it('decodes a UTF-8 character split between two chunks', async () => {
    const bytes = Buffer.from('{"email":"a@b.co","data":{"name":"Zoë"}}\n');
    const cut = bytes.indexOf(0xc3) + 1;
    const { recipients } = await parse('ndjson', bytes.subarray(0, cut), bytes.subarray(cut));
    expect(JSON.parse(recipients[0]!.data!)).toEqual({ name: 'Zoë' });
  });

  it('reads CSV with a byte order mark, any column order, and other columns as data fields', async () => {
    const { recipients } = await parse('csv', '\ufeffFirst Name,EMAIL,plan\r\nAnn,ann@example.com,"Pro, yearly"\r\n');
    expect(recipients).toEqual([{ line: 2, email: 'ann@example.com', data: '{"First Name":"Ann","plan":"Pro, yearly"}' }]);
  });

  it('reports CSV rows with the wrong number of fields or a bad address by line', async () => {
    const { recipients, bad } = await parse('csv', 'email,name\na@b.co,A\nc@d.co\nnot-an-address,X\n"e@f.co","multi\nline"\n');
    expect(recipients.map((r) => [r.line, r.email])).toEqual([[2, 'a@b.co'], [5, 'e@f.co']]);
    expect(bad.map((b) => b.line)).toEqual([3, 4]);
  });

  it.each([
    ['', /empty/],
    ['name,plan\nAnn,Pro\n', /"email" column/],
  ])('refuses a CSV without an email column in its header: %j', async (text, message) => {
    await expect(parse('csv', text)).rejects.toMatchObject({ code: 'invalid_recipients_file', message: expect.stringMatching(message) });
  });
});
