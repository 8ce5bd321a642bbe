// Owns what an unsubscribe is, however it arrives (the List-Unsubscribe one-click POST, the
// unsubscribe page's form, or mail to the List-Unsubscribe mailto address): one `unsubscribe` event
// per email, written the same way, and the address on the project's suppression list.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { appendEvents } from '../events/index.ts';
import { addSuppressions } from './suppressions.repository.ts';

export type Unsubscribe = {
  projectId: string;
  emailId: string;
  /** The recipient's address, as the email was sent to it. */
  to: string;
  /**
   * How it came, as the event's metadata: `method` POST (the one-click POST or the page's form, with
   * the request's ua and ip) or mailto (with the inbound message that carried it).
   */
  details: { method: 'POST' | 'mailto' } & Record<string, unknown>;
};

/** Records an unsubscribe in the caller's transaction; a second one for the same email (a retried POST, a link and a mailto) changes nothing. */
export async function recordUnsubscribe(trx: Kysely<Database>, u: Unsubscribe): Promise<void> {
  await appendEvents(trx, [{
    // The same id whichever way it came: the event log holds one unsubscribe per email.
    hitId: `unsubscribe:${u.emailId}`,
    projectId: u.projectId,
    emailId: u.emailId,
    type: 'unsubscribe',
    metadata: u.details,
  }]);
  await addSuppressions(trx, [{ projectId: u.projectId, email: u.to, reason: 'unsubscribe', sourceEmailId: u.emailId }]);
}
