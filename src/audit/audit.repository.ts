// Owns the audit log's SQL: appending under the chain head's lock, reading a page newest first
// along one index, and reading the chain in order for verification.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../store/database.ts';
import { transact } from '../store/transact.ts';
import { chainHash, type ChainedRow } from './audit-chain.ts';

export type AuditRowInput = Omit<ChainedRow, 'seq' | 'created_at'>;
export type AuditRow = ChainedRow & { prev_hash: string; hash: string };

/**
 * Appends rows at the chain's end. Run inside the transaction of the change they record: the head's
 * row lock is held until that transaction ends, so appends from any number of processes take turns
 * and the chain's order is their commit order. The time is the database's, read under the lock.
 */
export async function insertAuditRows(db: Kysely<Database>, rows: AuditRowInput[]): Promise<AuditRow[]> {
  if (rows.length === 0) return [];
  return transact(db, async (trx) => {
    const head = await sql<{ seq: string; hash: string; now: Date }>`
      SELECT seq::text AS seq, hash, date_trunc('milliseconds', clock_timestamp()) AS now
      FROM audit_chain_head FOR UPDATE`.execute(trx);
    const { seq, hash, now } = head.rows[0]!;
    let prev = hash;
    let next = BigInt(seq);
    const chained: AuditRow[] = rows.map((row) => {
      next += 1n;
      const full: ChainedRow = { ...row, seq: String(next), created_at: new Date(now) };
      const own = chainHash(prev, full);
      const out = { ...full, prev_hash: prev, hash: own };
      prev = own;
      return out;
    });
    await trx.insertInto('audit_log').values(chained.map((r) => ({ ...r, details: JSON.stringify(r.details) }))).execute();
    await trx.updateTable('audit_chain_head').set({ seq: String(next), hash: prev }).where('id', '=', true).execute();
    return chained;
  });
}

export type AuditFilter = {
  actorId?: string;
  actorType?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  outcome?: string;
  from?: Date;
  to?: Date;
};

/** A page, newest first, of rows with seq below `before`. */
export async function selectAuditPage(db: Kysely<Database>, filter: AuditFilter, before: bigint | undefined, limit: number): Promise<AuditRow[]> {
  const bounds = await seqBounds(db, filter);
  if (bounds === 'empty') return [];
  let query = db.selectFrom('audit_log').selectAll();
  const upper = minBig(before, bounds.below);
  if (upper !== undefined) query = query.where('seq', '<', String(upper));
  if (bounds.atLeast !== undefined) query = query.where('seq', '>=', String(bounds.atLeast));
  if (filter.action) query = query.where('action', '=', filter.action);
  if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
  if (filter.actorType) query = query.where('actor_type', '=', filter.actorType);
  if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
  if (filter.targetType) query = query.where('target_type', '=', filter.targetType);
  if (filter.outcome) query = query.where('outcome', '=', filter.outcome);
  const rows = await query.orderBy('seq', 'desc').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: String(r.seq) }));
}

/**
 * from/to as a range of seq: created_at is the database's clock read under the chain's lock, so it
 * grows with seq, and a time range is one range of the primary key. Two index probes, then the page
 * walks the key (or a filter's index) from the range's end, whatever the log's length.
 */
async function seqBounds(db: Kysely<Database>, filter: AuditFilter): Promise<{ atLeast?: bigint; below?: bigint } | 'empty'> {
  const out: { atLeast?: bigint; below?: bigint } = {};
  if (filter.from) {
    const first = await db.selectFrom('audit_log').select('seq').where('created_at', '>=', filter.from)
      .orderBy('created_at').orderBy('seq').limit(1).executeTakeFirst();
    if (!first) return 'empty';
    out.atLeast = BigInt(first.seq);
  }
  if (filter.to) {
    const last = await db.selectFrom('audit_log').select('seq').where('created_at', '<', filter.to)
      .orderBy('created_at', 'desc').orderBy('seq', 'desc').limit(1).executeTakeFirst();
    if (!last) return 'empty';
    out.below = BigInt(last.seq) + 1n;
  }
  return out;
}

const minBig = (a: bigint | undefined, b: bigint | undefined) => (a === undefined ? b : b === undefined ? a : a < b ? a : b);

/** Rows with seq above `after`, in chain order. */
export async function selectAuditChain(db: Kysely<Database>, after: bigint, limit: number): Promise<AuditRow[]> {
  const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', String(after)).orderBy('seq').limit(limit).execute();
  return rows.map((r) => ({ ...r, seq: String(r.seq) }));
}

export async function selectChainHead(db: Kysely<Database>): Promise<{ seq: bigint; hash: string }> {
  const head = await db.selectFrom('audit_chain_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
  return { seq: BigInt(head.seq), hash: head.hash };
}
