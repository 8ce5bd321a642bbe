// Text from hostile mail made storable: PostgreSQL text and jsonb refuse NUL and lone surrogates,
// and a bounce's diagnostic can hold either. Replaced, not refused: the message must still be kept.
export function storableText(s: string): string {
  return s.replace(/\u0000/g, '\uFFFD').toWellFormed();
}

/** storableText applied to every string (and key) of a JSON-like value. */
export function storableValue<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map(storableValue) as T;
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v)])) as T;
  }
  return value;
}
