// alert_signals: the authentication refusals and unsubscribes the alerts' reader of the log keeps
// (migration 021), and the two rules' reads of them, each one range of (project, kind, at).
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';

export type NewSignal = { projectId: string; kind: 'auth_refusal' | 'unsubscribe'; provider: string; address: string; emailId: string; code: string | null; at: Date };

export async function insertSignals(trx: Kysely<Database>, signals: readonly NewSignal[]): Promise<void> {
  if (signals.length === 0) return;
  await trx.insertInto('alert_signals').values(signals.map((s) => ({
    project_id: s.projectId, kind: s.kind, provider: s.provider, address: s.address.toLowerCase(), email_id: s.emailId, code: s.code, at: s.at,
  }))).execute();
}

/** Authentication refusals per mailbox provider since `since`. */
export async function authRefusalsSince(db: Kysely<Database>, projectId: string, since: Date): Promise<Array<{ provider: string; n: number; codes: string[] }>> {
  const { rows } = await sql<{ provider: string; n: string; codes: string[] }>`
    SELECT provider, count(*) AS n, array_agg(DISTINCT coalesce(code, '')) AS codes
    FROM alert_signals WHERE project_id = ${projectId} AND kind = 'auth_refusal' AND at >= ${since}
    GROUP BY provider
  `.execute(db);
  return rows.map((r) => ({ provider: r.provider, n: Number(r.n), codes: r.codes.filter((c) => c !== '') }));
}

/** Unsubscribes logged between `from` and `to` whose address is not on the project's suppression list. */
export async function unsuppressedUnsubscribes(db: Kysely<Database>, projectId: string, from: Date, to: Date): Promise<number> {
  const { rows } = await sql<{ n: string }>`
    SELECT count(DISTINCT s.address) AS n FROM alert_signals s
    WHERE s.project_id = ${projectId} AND s.kind = 'unsubscribe' AND s.at >= ${from} AND s.at <= ${to}
      AND NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.project_id = s.project_id AND x.email = s.address)
  `.execute(db);
  return Number(rows[0]?.n ?? 0);
}

/** Forgets signals older than `before`, at most `limit` at a time. */
export async function pruneSignals(db: Kysely<Database>, before: Date, limit: number): Promise<number> {
  const { numAffectedRows } = await sql`
    DELETE FROM alert_signals WHERE id IN (SELECT id FROM alert_signals WHERE at < ${before} LIMIT ${limit})
  `.execute(db);
  return Number(numAffectedRows ?? 0);
}
