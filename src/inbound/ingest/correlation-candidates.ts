// Which email a returned message is about, as candidates in order of trust (issue 4, part 2):
// the signed VERP return path first, then the DSN's ENVID, then the original's Message-ID (or
// In-Reply-To/References of a reply), then its X-Sendtrail-ID header.
import { parseReturnPath } from '../../bounces/index.ts';
import { isUuid } from '../../shared/ids.ts';
import type { ReturnedMessage } from './classifier-port.ts';

export type CorrelationVia = 'return_path' | 'envelope_id' | 'message_id' | 'sendtrail_id';

export type Candidate = {
  emailId: string;
  via: CorrelationVia;
  /** For `message_id`: the Message-ID as found, which must equal the email's own. */
  messageId?: string;
};

/** Our Message-IDs are <email id@sender domain> (sending/submit-emails.ts). */
const OUR_MESSAGE_ID = /^<?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@[^>\s]+>?$/i;

export function correlationCandidates(
  rcptTo: readonly string[],
  correlation: ReturnedMessage['correlation'],
  secret: string,
): Candidate[] {
  const found: Candidate[] = [];
  const seen = new Set<string>();
  const add = (c: Candidate) => {
    const key = `${c.emailId}|${c.via}`;
    if (!seen.has(key)) (seen.add(key), found.push(c));
  };
  // The return path is signed (bounces/return-path.ts): a match there cannot be forged.
  for (const rcpt of rcptTo) {
    const id = parseReturnPath(rcpt, secret);
    if (id) add({ emailId: id, via: 'return_path' });
  }
  // ENVID is the email id (RFC 3461 section 4.4; we send ENVID=<email id>).
  for (const envid of correlation.envelopeIds) {
    const id = envid.trim().toLowerCase();
    if (isUuid(id)) add({ emailId: id, via: 'envelope_id' });
  }
  for (const messageId of correlation.messageIds) {
    const match = OUR_MESSAGE_ID.exec(messageId.trim());
    if (match) add({ emailId: match[1]!.toLowerCase(), via: 'message_id', messageId: normalizeMessageId(messageId) });
  }
  for (const sendtrailId of correlation.sendtrailIds) {
    const id = sendtrailId.trim().toLowerCase();
    if (isUuid(id)) add({ emailId: id, via: 'sendtrail_id' });
  }
  return found;
}

export function normalizeMessageId(value: string): string {
  const bare = value.trim().replace(/^<|>$/g, '');
  return `<${bare.toLowerCase()}>`;
}
