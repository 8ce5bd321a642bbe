// Emails written straight into the queue's table, a thousand per statement, for the benchmarks of
// the queue's own SQL (bench:queue, bench:pglite-vacuum) and of the email log (bench:list): queued
// ones due now, or sent or delivered ones as the history a table holds, optionally in a campaign.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { newId } from '../../src/shared/ids.ts';

export async function fillEmails(
  db: Kysely<Database>,
  projectId: string,
  count: number,
  status: 'queued' | 'sent' | 'delivered',
  campaignId: string | null = null,
): Promise<void> {
  for (let i = 0; i < count; i += 1000) {
    const ids = Array.from({ length: Math.min(1000, count - i) }, newId);
    await sql`
      INSERT INTO emails (id, project_id, campaign_id, from_address, to_address, data, status, priority, next_attempt_at, message_id)
      SELECT r.id, ${projectId}, ${campaignId}::uuid, 'bench@example.com', r.id || '@example.org', '{"first":"Ada"}'::jsonb, ${status}, 1,
             ${status === 'queued' ? sql`now()` : sql`NULL`}, '<' || r.id || '@example.com>'
      FROM unnest(${ids}::uuid[]) AS r(id)
    `.execute(db);
  }
}
