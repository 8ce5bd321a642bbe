// Turns correlation candidates into the one email a returned message is about, checking each
// against the store: the first candidate (in order of trust) that names a real email wins.
import type { Kysely } from 'kysely';
import type { Database } from '../../store/database.ts';
import type { ReturnedMessage } from './classifier-port.ts';
import { correlationCandidates, normalizeMessageId } from './correlation-candidates.ts';
import { findEmailsByIds, type CorrelatedEmail } from './inbound.repository.ts';

// A hostile message can list thousands of Message-IDs in References: look at the first few only.
const MAX_CANDIDATES = 50;

export async function resolveEmail(
  db: Kysely<Database>,
  rcptTo: readonly string[],
  correlation: ReturnedMessage['correlation'],
  secret: string,
): Promise<CorrelatedEmail | undefined> {
  const candidates = correlationCandidates(rcptTo, correlation, secret).slice(0, MAX_CANDIDATES);
  if (candidates.length === 0) return undefined;
  const emails = new Map((await findEmailsByIds(db, [...new Set(candidates.map((c) => c.emailId))])).map((e) => [e.id, e]));
  for (const c of candidates) {
    const email = emails.get(c.emailId);
    if (!email) continue;
    // An unsigned Message-ID counts only when it is exactly the one we gave the email.
    if (c.via === 'message_id' && normalizeMessageId(email.message_id) !== c.messageId) continue;
    return email;
  }
  return undefined;
}
