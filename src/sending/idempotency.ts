// Idempotency-Key support: the first response for a key is stored in the same transaction as the
// work it describes, and replayed for a retry with the same body.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { AppError } from '../shared/app-error.ts';

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
  const inserted = await trx
    .insertInto('idempotency_keys')
    .values({ project_id: projectId, key, request_hash: requestHash, response: JSON.stringify(response) })
    .onConflict((oc) => oc.columns(['project_id', 'key']).doNothing())
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
