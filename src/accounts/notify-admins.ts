// Telling the installation's admins by email (when SMTP_URL is set): an alert triggered or
// resolved, later a webhook endpoint disabled. One message to every enabled admin; the sender is
// a port (roles/ plugs in the relay), so this module knows nothing of SMTP.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type AdminMail = { to: string[]; subject: string; text: string };
export type MailSender = (mail: AdminMail) => Promise<void>;
export type AdminNotifier = (subject: string, text: string) => Promise<number>;

/** Returns a notifier that mails the enabled admins; it resolves with how many were mailed. */
export function createAdminNotifier(db: Kysely<Database>, send: MailSender): AdminNotifier {
  return async (subject, text) => {
    const admins = await db.selectFrom('users').select('email').where('role', '=', 'admin').where('disabled_at', 'is', null).orderBy('email').execute();
    if (admins.length === 0) return 0;
    await send({ to: admins.map((a) => a.email), subject: subject.replace(/[\r\n]+/g, ' ').slice(0, 200), text });
    return admins.length;
  };
}
