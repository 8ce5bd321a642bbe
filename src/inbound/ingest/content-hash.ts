// The identity of a received message for idempotent ingest: the same DSN delivered twice is one message.
import { createHash } from 'node:crypto';

// Header fields each hop adds or rewrites (RFC 5321 section 4.4 trace fields, and the delivery
// headers MTAs prepend): a message retried by its sender or arriving by two routes differs only there.
const TRACE_FIELDS = /^(received|return-path|delivered-to|x-original-to|x-envelope-to|envelope-to|dkim-signature|arc-[a-z-]+|authentication-results|received-spf|x-received)$/i;

/** SHA-256 of the message without its trace header fields, body unchanged. */
export function contentHash(raw: Buffer): string {
  const headerEnd = findHeaderEnd(raw);
  const header = raw.subarray(0, headerEnd).toString('latin1');
  const kept: string[] = [];
  let keep = true;
  for (const line of header.split(/\r?\n/)) {
    // A folded continuation line (RFC 5322 section 2.2.3) belongs to the field before it.
    if (/^[ \t]/.test(line)) {
      if (keep) kept.push(line.trim());
      continue;
    }
    const name = line.slice(0, Math.max(0, line.indexOf(':'))).trim();
    keep = !TRACE_FIELDS.test(name);
    if (keep) kept.push(line.trimEnd());
  }
  return createHash('sha256').update(kept.join('\n')).update('\0').update(raw.subarray(headerEnd)).digest('hex');
}

function findHeaderEnd(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return raw.length;
  if (crlf < 0) return lf;
  if (lf < 0) return crlf;
  return Math.min(crlf, lf);
}
