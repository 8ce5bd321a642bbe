// What PostgreSQL cannot store or what would exhaust the stack, found in untrusted values: NUL
// characters and lone UTF-16 surrogates (text and jsonb reject both), and absurd nesting.

export const MAX_JSON_DEPTH = 32;

/** Why `value` cannot be stored, naming where in it (`path`), or undefined when it can. */
export function storableProblem(value: unknown, path: string, depth = 0): string | undefined {
  if (typeof value === 'string') return stringProblem(value, path);
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_JSON_DEPTH) return `${path}: nested deeper than ${MAX_JSON_DEPTH} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = storableProblem(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return undefined;
  }
  for (const [key, inner] of Object.entries(value)) {
    const problem = stringProblem(key, `${path} (a key)`) ?? storableProblem(inner, `${path}.${key}`, depth + 1);
    if (problem) return problem;
  }
  return undefined;
}

export function stringProblem(s: string, path: string): string | undefined {
  if (s.includes('\u0000')) return `${path}: contains a NUL character`;
  if (!s.isWellFormed()) return `${path}: contains a lone UTF-16 surrogate (not valid Unicode)`;
  return undefined;
}
