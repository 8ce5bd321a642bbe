// Checks recipient data from a streamed list before it reaches jsonb (the JSON body of a request
// is checked at the HTTP edge; streamed lists bypass that, so the same rules are applied here).

export const MAX_DATA_DEPTH = 32;

/**
 * Why a value cannot be stored as recipient data, or undefined when it can: PostgreSQL rejects NUL
 * characters and lone UTF-16 surrogates in jsonb, and deep nesting would overflow JSON.stringify.
 */
export function dataProblem(value: unknown, depth = 0): string | undefined {
  if (typeof value === 'string') return stringProblem(value);
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_DATA_DEPTH) return `"data" is nested deeper than ${MAX_DATA_DEPTH} levels`;
  const entries = Array.isArray(value) ? value.map((v) => ['', v] as const) : Object.entries(value);
  for (const [key, inner] of entries) {
    const problem = stringProblem(key) ?? dataProblem(inner, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

export function stringProblem(s: string): string | undefined {
  if (s.includes('\u0000')) return '"data" contains a NUL character';
  if (!s.isWellFormed()) return '"data" contains a lone UTF-16 surrogate (not valid Unicode)';
  return undefined;
}
