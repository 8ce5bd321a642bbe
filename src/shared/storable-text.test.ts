// Owns the tests of the storable-text contract: what is refused and where, what cleaning replaces, and
// that cleaned text is what PostgreSQL text and jsonb take (both stores).
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, STORE_KINDS, type TestStore } from '../../test/support/test-store.ts';
import { AppError } from './app-error.ts';
import { assertStorable, MAX_JSON_DEPTH, storableProblem, storableText, storableValue } from './storable-text.ts';

const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });

describe('refusing what cannot be stored', () => {
  it.each([
    ['a NUL in a string', 'a\u0000b', 'body: contains a NUL character'],
    ['a lone high surrogate', 'x\ud800', 'body: contains a lone UTF-16 surrogate (not valid Unicode)'],
    ['a lone low surrogate', '\udc00y', 'body: contains a lone UTF-16 surrogate (not valid Unicode)'],
    ['a NUL in a nested value', { tags: ['ok', 'a\u0000'] }, 'body.tags[1]: contains a NUL character'],
    ['a lone surrogate in a key', { meta: { '\ud800': 1 } }, 'body.meta (a key): contains a lone UTF-16 surrogate (not valid Unicode)'],
    ['nesting past the limit', nested(MAX_JSON_DEPTH + 1), `body${'.a'.repeat(MAX_JSON_DEPTH)}: nested deeper than ${MAX_JSON_DEPTH} levels`],
  ])('refuses %s, naming where', (_name, value, problem) => {
    expect(storableProblem(value, 'body')).toBe(problem);
    expect(() => assertStorable(value, 'body')).toThrow(expect.objectContaining({ code: 'validation_error', message: problem }));
    expect(() => assertStorable(value, 'body')).toThrow(AppError);
  });

  it.each([
    ['plain text', 'hello'],
    ['a surrogate pair (emoji)', 'ok \ud83d\ude00'],
    ['U+FFFD itself', '\uFFFD'],
    ['numbers, booleans, null and undefined', { n: 1, b: true, z: null, u: undefined }],
    ['nesting at the limit', nested(MAX_JSON_DEPTH)],
  ])('accepts %s', (_name, value) => {
    expect(storableProblem(value, 'body')).toBeUndefined();
    expect(() => assertStorable(value, 'body')).not.toThrow();
  });
});

describe('cleaning what must be kept', () => {
  it.each([
    ['a NUL', 'a\u0000b', 'a\uFFFDb'],
    ['lone surrogates', '\ud800x\udc00', '\uFFFDx\uFFFD'],
    ['a surrogate pair, kept', '\ud83d\ude00', '\ud83d\ude00'],
    ['clean text, unchanged', 'Mailbox full', 'Mailbox full'],
  ])('storableText replaces %s', (_name, input, output) => {
    expect(storableText(input)).toBe(output);
  });

  it('storableValue cleans every string and key, and leaves other values alone', () => {
    const at = new Date(0);
    expect(storableValue({ 'k\u0000': ['v\ud800', 3, null], at, nested: { ok: true } }))
      .toEqual({ 'k\uFFFD': ['v\uFFFD', 3, null], at, nested: { ok: true } });
  });

  it('leaves nothing for storableProblem to refuse, whatever the strings hold', () => {
    const text = fc.string({ unit: 'binary' });
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small', maxDepth: 6 }, text, fc.integer(), fc.constant(null), fc.array(tie('value')), fc.dictionary(text, tie('value'))),
    })).value;
    fc.assert(fc.property(json, (value) => storableProblem(storableValue(value), 'v') === undefined));
  });
});

describe.each(STORE_KINDS)('cleaned text on %s', (kind) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await createTestStore(kind);
  });
  afterAll(async () => store?.close());

  it('is taken by text and jsonb, where the raw text is refused', async () => {
    const raw = 'bad\u0000byte \ud800';
    await expect(sql`SELECT ${raw}::text`.execute(store.db)).rejects.toThrow();
    await expect(sql`SELECT ${JSON.stringify({ d: '\ud800' })}::jsonb`.execute(store.db)).rejects.toThrow();
    const { rows } = await sql<{ t: string; j: { d: string } }>`
      SELECT ${storableText(raw)}::text AS t, ${JSON.stringify(storableValue({ d: raw }))}::jsonb AS j
    `.execute(store.db);
    expect(rows[0]).toEqual({ t: 'bad\uFFFDbyte \uFFFD', j: { d: 'bad\uFFFDbyte \uFFFD' } });
  });
});
