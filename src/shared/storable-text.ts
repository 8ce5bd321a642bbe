// Owns what makes untrusted text storable: PostgreSQL text and jsonb refuse NUL characters and lone
// UTF-16 surrogates. What a client sends with them is refused (a 4xx naming the place); what we must
// keep whatever it holds (received mail, tracking request headers) is cleaned, each one replaced by
// U+FFFD. Absurd nesting, which would exhaust the stack, is refused too; cleaning leaves it alone.
import { AppError } from './app-error.ts';

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

/** Why the string `s` cannot be stored, naming it `path`, or undefined when it can. */
export function stringProblem(s: string, path: string): string | undefined {
  if (s.includes('\u0000')) return `${path}: contains a NUL character`;
  if (!s.isWellFormed()) return `${path}: contains a lone UTF-16 surrogate (not valid Unicode)`;
  return undefined;
}

/** Refuses input that cannot be stored: throws validation_error naming the first offending place. */
export function assertStorable(value: unknown, where: string): void {
  const problem = storableProblem(value, where);
  if (problem) throw new AppError('validation_error', problem);
}

/** `s` with every NUL and lone surrogate replaced by U+FFFD: for text that must be kept, not refused. */
export function storableText(s: string): string {
  return s.replace(/\u0000/g, '\uFFFD').toWellFormed();
}

/** storableText applied to every string (and key) of a JSON-like value; dates and other values stay. */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableValue) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v)])) as T;
  }
  return value;
}
