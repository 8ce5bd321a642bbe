// Reading back what the capture transport kept (mail to real domains without SMTP_URL).
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export async function findCapturedRaw(db: Kysely<Database>, projectId: string, emailId: string): Promise<string | undefined> {
  const row = await db.selectFrom('captured_messages').select('raw').where('email_id', '=', emailId).where('project_id', '=', projectId).executeTakeFirst();
  return row?.raw;
}
