// Owns the audit log's hash chain: each row's hash is SHA-256 over the previous row's hash and a
// canonical encoding of the row, so a row changed, removed or inserted afterwards breaks every hash
// from there on (audit verify names the first). The encoding is a JSON array in a fixed field order,
// with details' keys sorted, so it reads the same from any store and any jsonb key order.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** The fields the hash covers, as stored. */
export type ChainedRow = {
  seq: string;
  created_at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_label: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  outcome: string;
  reason: string | null;
  project_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
};

export function canonicalEncoding(row: ChainedRow): string {
  return JSON.stringify([
    row.seq, row.created_at.toISOString(), row.actor_type, row.actor_id, row.actor_label, row.action, row.target_type,
    row.target_id, row.outcome, row.reason, row.project_id, row.ip, row.user_agent, sortKeys(row.details),
  ]);
}

export function chainHash(prevHash: string, row: ChainedRow): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEncoding(row)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}
