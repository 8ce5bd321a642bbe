// GET /v1/emails?status= pages newest first within one status. For the statuses people look for
// (bounced, failed, rejected, delayed, cancelled, scheduled) it walked the project's emails until it
// had a page of them, a scan growing with the table, on PGlite's one thread. The index leaves out
// queued, sent and delivered, which every email passes through: claims and outcomes rewrite those
// rows, and a full index would take a new entry at each rewrite, on every email's way out.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    CREATE INDEX emails_project_rare_status ON emails (project_id, status, id DESC)
    WHERE status NOT IN ('queued', 'sent', 'delivered')
  `.execute(db);
}
