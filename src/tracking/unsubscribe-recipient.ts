// Use case: a recipient unsubscribes by link (RFC 8058 one-click POST or the page's form): recorded
// as every unsubscribe is (suppressions/record-unsubscribe.ts), in one transaction.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { recordUnsubscribe } from '../suppressions/index.ts';
import { findEmailRecipient } from './tracking-hits.repository.ts';

export type UnsubscribeRequest = { emailId: string; ua: string; ip: string; method: 'POST' };

/** False when the email does not exist (a valid token for a deleted email). Repeating it changes nothing. */
export async function unsubscribeRecipient(db: Kysely<Database>, request: UnsubscribeRequest): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const email = await findEmailRecipient(trx, request.emailId);
    if (!email) return false;
    await recordUnsubscribe(trx, {
      projectId: email.projectId,
      emailId: request.emailId,
      to: email.to,
      details: { method: 'POST', ua: request.ua, ip: request.ip },
    });
    return true;
  });
}
