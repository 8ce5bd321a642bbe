// Idempotency-Key support: the first response for a key is stored in the same transaction as the
// work it describes, and replayed for a retry with the same body.
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';

/**
 * How long a key is remembered, as Stripe and Resend do: a retry within a day replays the first
 * response; after that the key is free again and its stored response is deleted, so that the table
 * does not keep every response ever given.
 */
export const IDEMPOTENCY_KEY_TTL_HOURS = 24;
const expired = sql<boolean>`idempotency_keys.created_at < now() - make_interval(hours => ${IDEMPOTENCY_KEY_TTL_HOURS})`;

export const hashRequest = (body: unknown): string =>
  createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');

/**
 * Claims the key inside `trx`. Returns the stored response when the key was already used with the
 * same body (the caller then rolls back its own work); a concurrent first use blocks on the primary
 * key until the other transaction ends.
 */
export async function claimIdempotencyKey(
  trx: Kysely<Database>,
  projectId: string,
  key: string,
  requestHash: string,
  response: unknown,
): Promise<{ replay: unknown } | undefined> {
  const stored = JSON.stringify(response);
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({ project_id: projectId, key, request_hash: requestHash, response: stored })
    // An expired key not yet deleted is taken over as if it were new.
    .onConflict((oc) =>
      oc.columns(['project_id', 'key'])
        .doUpdateSet({ request_hash: requestHash, response: stored, created_at: sql`now()` })
        .where(expired))
    .returning('key')
    .executeTakeFirst();
  if (inserted) return undefined;
  const existing = await trx
    .selectFrom('idempotency_keys')
    .select(['request_hash', 'response'])
    .where('project_id', '=', projectId)
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  if (existing.request_hash !== requestHash) throw new AppError('idempotency_key_reused');
  return { replay: existing.response };
}

/** Deletes up to `limit` expired keys; returns how many. */
export async function deleteExpiredIdempotencyKeys(db: Kysely<Database>, limit: number): Promise<number> {
  const result = await sql`
    DELETE FROM idempotency_keys WHERE (project_id, key) IN (
      SELECT project_id, key FROM idempotency_keys WHERE ${expired} ORDER BY created_at LIMIT ${limit}
    )
  `.execute(db);
  return Number(result.numAffectedRows ?? 0n);
}
