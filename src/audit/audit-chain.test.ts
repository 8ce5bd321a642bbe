import { describe, expect, it } from 'vitest';
import { canonicalEncoding, chainHash, GENESIS_HASH, type ChainedRow } from './audit-chain.ts';

const row = (over: Partial<ChainedRow> = {}): ChainedRow => ({
  seq: '1', created_at: new Date('2026-12-08T00:00:00.123Z'), actor_type: 'user', actor_id: 'u1', actor_label: 'ann@example.com',
  action: 'api_key.create', target_type: 'api_key', target_id: 'k1', outcome: 'success', reason: null, project_id: null,
  ip: '127.0.0.1', user_agent: 'test', details: { name: 'ci', prefix: 'st_abcd' }, ...over,
});

describe('the audit hash chain', () => {
  it('hashes the same row the same whatever the order of its details\' keys (jsonb keeps its own order)', () => {
    expect(chainHash(GENESIS_HASH, row({ details: { prefix: 'st_abcd', name: 'ci' } }))).toBe(chainHash(GENESIS_HASH, row()));
  });

  it('changes the hash when any field changes, or the previous hash does', () => {
    const base = chainHash(GENESIS_HASH, row());
    const changed: Partial<ChainedRow>[] = [
      { seq: '2' }, { created_at: new Date('2026-12-08T00:00:00.124Z') }, { actor_id: 'u2' }, { actor_label: 'bob@example.com' },
      { action: 'api_key.revoke' }, { target_id: 'k2' }, { outcome: 'denied' }, { reason: 'forbidden' }, { ip: '10.0.0.1' },
      { user_agent: 'other' }, { details: { name: 'cd', prefix: 'st_abcd' } }, { project_id: '0190a0a0-0000-7000-8000-000000000000' },
    ];
    for (const over of changed) expect(chainHash(GENESIS_HASH, row(over)), JSON.stringify(over)).not.toBe(base);
    expect(chainHash('f'.repeat(64), row())).not.toBe(base);
  });

  it('encodes fields in a fixed order, so a value cannot move from one field to the next unnoticed', () => {
    expect(canonicalEncoding(row({ actor_id: 'a', actor_label: null }))).not.toBe(canonicalEncoding(row({ actor_id: null, actor_label: 'a' })));
  });
});
