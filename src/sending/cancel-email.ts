// Use case: cancel a queued or scheduled email (POST /v1/emails/:id/cancel).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { appendEvents } from '../events/index.ts';
import { AppError } from '../shared/app-error.ts';
import { cancelQueuedEmail, findEmail } from './emails.repository.ts';

export async function cancelEmail(db: Kysely<Database>, projectId: string, id: string): Promise<void> {
  const cancelled = await db.transaction().execute(async (trx) => {
    if (!(await cancelQueuedEmail(trx, projectId, id))) return false;
    await appendEvents(trx, [{ projectId, emailId: id, type: 'cancelled', metadata: { by: 'api' } }]);
    return true;
  });
  if (cancelled) return;
  const email = await findEmail(db, projectId, id);
  if (!email) throw new AppError('not_found', 'No such email');
  throw new AppError('email_not_cancellable', `The email is ${email.status === 'queued' ? 'being sent' : email.status}: it can no longer be cancelled`, {
    status: email.status,
  });
}
