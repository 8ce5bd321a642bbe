// Every refusal is documented: each error code has an HTTP status, a description, and a place in the
// OpenAPI document, and only our own side is a 5xx: a fault (internal_error) or a process that is
// shutting down (shutting_down, retryable elsewhere).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HTTP_STATUS } from '../src/http/error-statuses.ts';
import { ERROR_CODES, type ErrorCode } from '../src/shared/app-error.ts';
import { createTestApp, type TestApp } from './support/test-app.ts';

const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

describe('error codes', () => {
  it.each(CODES)('%s has an HTTP status and a description', (code) => {
    expect(HTTP_STATUS[code]).toEqual(expect.any(Number));
    expect(ERROR_CODES[code].trim()).not.toBe('');
  });

  it('maps every code to a 4xx but internal_error and shutting_down, the only 5xx', () => {
    const status = (code: ErrorCode) => HTTP_STATUS[code];
    expect(CODES.filter((c) => status(c) < 400 || status(c) >= 500)).toEqual(['internal_error', 'shutting_down']);
    expect(status('internal_error')).toBe(500);
    expect(status('shutting_down')).toBe(503);
  });

  it('maps no status for a code that does not exist', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...CODES].sort());
  });
});

type SchemaNode = { title?: string; enum?: unknown[]; const?: unknown; anyOf?: SchemaNode[]; oneOf?: SchemaNode[]; properties?: Record<string, SchemaNode> };

/** The codes the document's Error schema lists for `error.code` (as an enum, consts or a union of them). */
function listedCodes(doc: { components?: { schemas?: Record<string, SchemaNode> } }): unknown[] {
  const error = Object.values(doc.components?.schemas ?? {}).find((s) => s.title === 'Error');
  const collect = (s: SchemaNode | undefined): unknown[] =>
    s ? [...(s.enum ?? []), ...(s.const === undefined ? [] : [s.const]), ...[...(s.anyOf ?? []), ...(s.oneOf ?? [])].flatMap(collect)] : [];
  return collect(error?.properties?.error?.properties?.code);
}

describe('the OpenAPI document at /docs/json', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite');
  });
  afterAll(async () => t?.close());

  it('describes errors with the one Error schema', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(Object.values(doc.components.schemas).map((s) => (s as SchemaNode).title)).toContain('Error');
  });

  it('lists every error code as a value of error.code, so clients can switch on them', async () => {
    const doc = (await t.app.inject({ url: '/docs/json' })).json();
    expect(listedCodes(doc).sort()).toEqual([...CODES].sort());
  });
});
