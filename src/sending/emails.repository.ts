// SQL on the emails table as seen by the API: insert, read, cancel (the log's pages: list-emails.ts).
import { sql, type Kysely, type Insertable, type Selectable } from 'kysely';
import type { Database, EmailsTable } from '../store/database.ts';
import { CANCELLABLE_STATUSES } from '../events/index.ts';

export type EmailRow = Selectable<EmailsTable> & { campaign_subject: string | null };
export type NewEmailRow = Insertable<EmailsTable>;

export async function insertEmails(db: Kysely<Database>, rows: NewEmailRow[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('emails').values(rows).execute();
}

// Campaign emails carry no subject of their own: the campaign's (template) subject stands in.
export const selectEmails = (db: Kysely<Database>) =>
  db
    .selectFrom('emails')
    .leftJoin('campaigns', 'campaigns.id', 'emails.campaign_id')
    .selectAll('emails')
    .select('campaigns.subject as campaign_subject');

export async function findEmail(db: Kysely<Database>, projectId: string, id: string): Promise<EmailRow | undefined> {
  return selectEmails(db).where('emails.project_id', '=', projectId).where('emails.id', '=', id).executeTakeFirst();
}

/**
 * Cancels when still queued or scheduled and no worker holds it. The row lock taken by a worker's
 * claim serialises this against sending, so an email is never both cancelled and sent.
 */
export async function cancelQueuedEmail(db: Kysely<Database>, projectId: string, id: string): Promise<boolean> {
  const result = await db
    .updateTable('emails')
    .set({ status: 'cancelled', next_attempt_at: null, updated_at: sql`now()` })
    .where('project_id', '=', projectId)
    .where('id', '=', id)
    .where('status', 'in', CANCELLABLE_STATUSES)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', sql<Date>`now()`)]))
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
