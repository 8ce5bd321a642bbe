// Owns checking the audit chain end to end: every row's seq follows the last, its prev_hash is the
// last row's hash, its hash is what its fields hash to, and the chain head names the last row. The
// first row that fails is named, with why.
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { chainHash, GENESIS_HASH } from './audit-chain.ts';
import { selectAuditChain, selectChainHead } from './audit.repository.ts';

export type ChainVerdict =
  | { ok: true; rows: number }
  | { ok: false; rows: number; seq: string; problem: string };

const BATCH = 1000;

export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainVerdict> {
  let expectedSeq = 1n;
  let prev = GENESIS_HASH;
  let rows = 0;
  for (;;) {
    const batch = await selectAuditChain(db, expectedSeq - 1n, BATCH);
    for (const row of batch) {
      const broken = (problem: string): ChainVerdict => ({ ok: false, rows, seq: row.seq, problem });
      if (BigInt(row.seq) !== expectedSeq) return { ok: false, rows, seq: String(expectedSeq), problem: `row ${expectedSeq} is missing (the next is ${row.seq})` };
      if (row.prev_hash !== prev) return broken('its prev_hash is not the previous row\'s hash');
      if (chainHash(prev, row) !== row.hash) return broken('its fields do not hash to its hash: the row was changed');
      prev = row.hash;
      expectedSeq += 1n;
      rows += 1;
    }
    if (batch.length < BATCH) break;
  }
  const head = await selectChainHead(db);
  if (head.seq !== expectedSeq - 1n || head.hash !== prev) {
    return { ok: false, rows, seq: String(head.seq), problem: `the chain head names row ${head.seq}, the last row is ${expectedSeq - 1n}: rows were removed from the end` };
  }
  return { ok: true, rows };
}
