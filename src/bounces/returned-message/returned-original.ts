// Owns finding the headers of our original message inside a returned message (RFC 3462 §1: the third
// part of a report; RET=HDRS sends only the headers).
import { headerBlockOf, parseHeaderFields, type HeaderFields } from './header-fields.ts';
import type { ParsedMessage } from './parse-message.ts';
import { ORIGINAL_MARKERS } from './notice-rules.ts';

const ORIGINAL_PART = /^(?:message\/(?:rfc822|global|rfc822-headers|global-headers)|text\/rfc822-headers?)/;

/** The original's headers: the attached message or headers part, else the header block after the
 * notice's marker in a single text part. Null when neither is there. */
export function returnedOriginalHeaders(message: ParsedMessage): HeaderFields | null {
  const part = message.parts.find((candidate) => ORIGINAL_PART.test(candidate.contentType));
  if (part) return parseHeaderFields(headerBlockOf(part.text.replace(/^\s+/, '')));
  for (const marker of ORIGINAL_MARKERS) {
    const match = marker.pattern.exec(message.text);
    if (!match) continue;
    // Skip the marker line itself and any blank lines, then read the header block.
    const after = message.text.slice(match.index + match[0].length).replace(/^[^\n]*\n/, '').replace(/^\s+/, '');
    const fields = parseHeaderFields(headerBlockOf(after));
    if (fields.size > 0) return fields;
  }
  return null;
}
