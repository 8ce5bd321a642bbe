// Refuses what PostgreSQL cannot store or what would exhaust the stack, before any route sees it:
// NUL characters and lone UTF-16 surrogates (text and jsonb reject both), and absurd nesting.
import { AppError } from '../shared/app-error.ts';

export const MAX_JSON_DEPTH = 32;

/** Throws validation_error naming the first offending place in a parsed request part. */
export function assertStorable(value: unknown, where: string): void {
  walk(value, where, 0);
}

function walk(value: unknown, path: string, depth: number): void {
  if (typeof value === 'string') return checkString(value, path);
  if (value === null || typeof value !== 'object') return;
  if (depth >= MAX_JSON_DEPTH) throw new AppError('validation_error', `${path}: nested deeper than ${MAX_JSON_DEPTH} levels`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, depth + 1);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    checkString(key, `${path} (a key)`);
    walk(inner, `${path}.${key}`, depth + 1);
  }
}

function checkString(s: string, path: string): void {
  if (s.includes('\u0000')) throw new AppError('validation_error', `${path}: contains a NUL character`);
  if (!s.isWellFormed()) throw new AppError('validation_error', `${path}: contains a lone UTF-16 surrogate (not valid Unicode)`);
}
