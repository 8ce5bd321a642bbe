// Use case: a recipient unsubscribes (RFC 8058 one-click POST or the page's form): an
// `unsubscribe` event and the address on the project's suppression list, in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { addSuppressions } from '../suppressions/index.ts';
import { findEmailRecipient, insertHitEvents } from './tracking-hits.repository.ts';

export type UnsubscribeRequest = { emailId: string; ua: string; ip: string; method: string };

/** False when the email does not exist (a valid token for a deleted email). Repeating it changes nothing. */
export async function unsubscribeRecipient(db: Kysely<Database>, request: UnsubscribeRequest): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const email = await findEmailRecipient(trx, request.emailId);
    if (!email) return false;
    // One unsubscribe event per email however often the link is posted (clients retry, people double-click).
    await insertHitEvents(trx, [{
      hitId: `unsubscribe:${request.emailId}`,
      projectId: email.projectId,
      emailId: request.emailId,
      type: 'unsubscribe',
      metadata: { ua: request.ua, ip: request.ip, method: request.method },
      at: new Date(),
    }]);
    await addSuppressions(trx, [{ projectId: email.projectId, email: email.to, reason: 'unsubscribe', sourceEmailId: request.emailId }]);
    return true;
  });
}
