// Normalises one recipient address from an inline list or a streamed file.
import { isValidAddress, parseMailbox } from '../sending/index.ts';

const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Returns the lower-cased address, or undefined when it is not one valid address. The plain-address
 * test runs first: it is what nearly every row of a 100,000-line list is, and the RFC 5322 parser
 * behind "Name <address>" costs ten times more.
 */
export function normalizeRecipientAddress(input: string): string | undefined {
  const trimmed = input.trim();
  // The address pattern lets control characters through, and text columns refuse NUL.
  if (CONTROL.test(trimmed)) return undefined;
  if (isValidAddress(trimmed)) return trimmed.toLowerCase();
  if (!trimmed.includes('<')) return undefined;
  try {
    return parseMailbox(trimmed, 'email').address;
  } catch {
    return undefined;
  }
}
