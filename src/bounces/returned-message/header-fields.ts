// Owns parsing of "Name: value" field blocks: message headers (RFC 5322 §2.2), DSN fields (RFC 3464 §2.1)
// and ARF fields (RFC 5965 §3.1) share this syntax.

/** Field values by lower-cased name, in order of appearance. */
export type HeaderFields = ReadonlyMap<string, readonly string[]>;

/** Folded lines (RFC 5322 §2.2.3) are joined; lines that are no field are skipped, never fatal. */
export function parseHeaderFields(block: string): HeaderFields {
  const fields = new Map<string, string[]>();
  const unfolded = block.replace(/\r\n/g, '\n').replace(/\n[ \t]+/g, ' ');
  for (const line of unfolded.split('\n')) {
    const match = /^([!-9;-~]{1,80}):[ \t]*(.*)$/.exec(line);
    if (!match) continue;
    const name = (match[1] as string).toLowerCase();
    const values = fields.get(name) ?? [];
    values.push((match[2] as string).trim());
    fields.set(name, values);
  }
  return fields;
}

export function firstField(fields: HeaderFields, name: string): string | null {
  const value = fields.get(name)?.[0];
  return value === undefined || value === '' ? null : value;
}

/** The header block of a message: everything before the first blank line. */
export function headerBlockOf(message: string): string {
  const end = message.search(/\r?\n\r?\n/);
  return end < 0 ? message : message.slice(0, end);
}

/** The body of a message: everything after the first blank line. */
export function bodyOf(message: string): string {
  const match = /\r?\n\r?\n/.exec(message);
  return match ? message.slice(match.index + match[0].length) : '';
}

const ADDRESS = /[\w.!#$%&'*+/=?^`{|}~-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){0,10}/;

/** The first addr-spec in a field value: `rfc822; <Ann@Example.org>` gives `ann@example.org`. */
export function addressIn(value: string | null | undefined): string | null {
  if (!value) return null;
  const match = ADDRESS.exec(value.replace(/^[\w-]+;/, ''));
  return match ? match[0].replace(/\.+$/, '').toLowerCase() : null;
}

/** Every Message-ID (`<...@...>`) in a field value, without the brackets. */
export function messageIdsIn(value: string | null | undefined): string[] {
  if (!value) return [];
  return [...value.matchAll(/<([^<>\s]{1,250})>/g)].map((match) => match[1] as string);
}
