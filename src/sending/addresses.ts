// Parses and checks email addresses from untrusted input, with nodemailer's RFC 5322 address parser.
import addressparser from 'nodemailer/lib/addressparser';
import { AppError } from '../shared/app-error.ts';

export type Mailbox = { name: string; address: string };

// Deliberately practical rather than RFC-complete: a local part without spaces or brackets, and a
// domain of dot-separated labels with a TLD. Quoted local parts are rare in transactional mail.
const ADDRESS = /^[^\s@"<>()[\],;:\\]{1,64}@(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/i;

export function isValidAddress(address: string): boolean {
  return ADDRESS.test(address);
}

/** Parses one mailbox ("Name <a@b.c>" or "a@b.c"); throws invalid_recipient naming the field. */
export function parseMailbox(input: string, field: string): Mailbox {
  // The parser silently drops control characters ("a\u0000b@x" would become "ab@x"): refuse them first.
  if (/[\u0000-\u001f\u007f]/.test(input)) {
    throw new AppError('invalid_recipient', `${field}: contains a control character`, { field });
  }
  const parsed = addressparser(input, { flatten: true });
  const first = parsed[0];
  if (parsed.length !== 1 || !first || !('address' in first) || !first.address || !isValidAddress(first.address)) {
    throw new AppError('invalid_recipient', `${field}: "${truncate(input)}" is not one valid email address`, {
      field,
      value: truncate(input),
    });
  }
  return { name: first.name ?? '', address: first.address.toLowerCase() };
}

export function domainOf(address: string): string {
  return address.slice(address.lastIndexOf('@') + 1).toLowerCase();
}

export function formatMailbox(m: Mailbox): string {
  return m.name ? `${JSON.stringify(m.name)} <${m.address}>` : m.address;
}

const truncate = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);
