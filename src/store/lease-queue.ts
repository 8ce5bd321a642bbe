// A table used as a work queue under leases: rows are claimed with FOR UPDATE SKIP LOCKED, so any
// number of processes share the queue without handing a row to two of them; a claim moves the
// row's due time to the end of its lease, so the row of a process that died comes due again when
// the lease runs out (reclaimed by the next claim, with no sweeper). Emails, reply forwards and
// webhook deliveries are queues of this one kind.
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.ts';

/**
 * How a table serves as a queue. Every string is SQL of ours, written in this repository (column
 * names, conditions), never input: they are spliced into the statements as they are.
 */
export type LeaseQueueSpec = {
  table: 'emails' | 'inbound_messages' | 'webhook_deliveries';
  /** The table's alias in the claim: `alsoSet` and `returning` may use it. */
  alias: string;
  /** When a row is next due; NULL keeps it out of the queue. */
  dueAt: string;
  /** What else a due row must meet (unqualified columns). */
  where?: string;
  /**
   * What else a row must meet to be claimed, but not to be renewed, released or taken over: rules
   * about other rows (an earlier row to finish first, a cap on rows held); the table is unaliased.
   */
  claimWhere?: string;
  /** Claim order among due rows (unqualified columns; an index should give it). */
  orderBy: string;
  /** Counts claims: a claim adds one, a release takes it back. */
  attempts: string;
  /** Columns naming the lease's holder and end, for queues whose holders renew their leases. */
  holder?: { by: string; until: string };
  /** More assignments a claim makes. */
  alsoSet?: string;
  /** What a claim returns, e.g. `e.*`. */
  returning: string;
};

export type LeaseQueue<Row> = {
  /** Claims up to `limit` due rows for `leaseMs`, in `orderBy` order. */
  claim(db: Kysely<Database>, options: { limit: number; leaseMs: number; holder?: string }): Promise<Row[]>;
  /** The claim as one statement, for tests that read its plan. */
  claimStatement(options: { limit: number; leaseMs: number; holder?: string }): RawBuilder<Row>;
  /** Extends the leases `holder` still holds on `ids` (a row another holder took over is left alone). */
  renew(db: Kysely<Database>, holder: string, ids: readonly string[], leaseMs: number): Promise<void>;
  /** Gives claimed rows back unworked: due now, the claim not counted as an attempt. */
  release(db: Kysely<Database>, ids: readonly string[]): Promise<void>;
  /**
   * Makes the rows leased to dead holders due now, before their leases run out: those held by one
   * of `holders`, or by anyone but `allBut`. The claim stays counted as an attempt, as when a lease
   * runs out: the holder may have sent before it died. Returns how many rows were released.
   */
  takeOver(db: Kysely<Database>, from: { holders: readonly string[] } | { allBut: string }): Promise<number>;
};

const raw = (s: string) => sql.raw(s);
const leaseEnd = (leaseMs: number) => sql`now() + make_interval(secs => ${leaseMs / 1000})`;

export function defineLeaseQueue<Row>(spec: LeaseQueueSpec): LeaseQueue<Row> {
  const { alias: a, dueAt, holder } = spec;
  const extra = spec.where ? raw(` AND ${spec.where}`) : raw('');
  const claimExtra = spec.claimWhere ? raw(` AND ${spec.claimWhere}`) : raw('');

  const claimStatement = ({ limit, leaseMs, holder: by }: { limit: number; leaseMs: number; holder?: string }) => {
    if (holder && by === undefined) throw new Error(`claims of ${spec.table} name their holder`);
    const holderSet = holder ? sql`, ${raw(holder.by)} = ${by}, ${raw(holder.until)} = ${leaseEnd(leaseMs)}` : raw('');
    const alsoSet = spec.alsoSet ? raw(`, ${spec.alsoSet}`) : raw('');
    // Raw SQL: Kysely cannot express UPDATE ... WHERE id IN a FOR UPDATE SKIP LOCKED sub-select.
    // `= ANY(ARRAY(...))` rather than a join with the CTE: the planner then always finds the claimed
    // rows by primary key. With a join it estimated a hash join over a sequential scan of the whole
    // table cheaper on tables of some 20,000 rows (PGlite keeps no statistics), so each claim read
    // every row, history included.
    return sql<Row>`
      WITH due AS (
        SELECT id FROM ${raw(spec.table)}
        WHERE ${raw(dueAt)} IS NOT NULL AND ${raw(dueAt)} <= now()${extra}${claimExtra}
        ORDER BY ${raw(spec.orderBy)}
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE ${raw(spec.table)} ${raw(a)}
      SET ${raw(dueAt)} = ${leaseEnd(leaseMs)},
          ${raw(spec.attempts)} = ${raw(spec.attempts)} + 1${holderSet}${alsoSet}
      WHERE ${raw(a)}.id = ANY(ARRAY(SELECT id FROM due))
      RETURNING ${raw(spec.returning)}
    `;
  };

  return {
    claimStatement,
    async claim(db, options) {
      return (await claimStatement(options).execute(db)).rows;
    },
    async renew(db, by, ids, leaseMs) {
      if (ids.length === 0) return;
      const mine = holder ? sql` AND ${raw(holder.by)} = ${by}` : extra;
      const until = holder ? sql`, ${raw(holder.until)} = ${leaseEnd(leaseMs)}` : raw('');
      await sql`
        UPDATE ${raw(spec.table)} SET ${raw(dueAt)} = ${leaseEnd(leaseMs)}${until}
        WHERE id = ANY(${ids}::uuid[])${mine}
      `.execute(db);
    },
    async release(db, ids) {
      if (ids.length === 0) return;
      const unheld = holder ? raw(`, ${holder.by} = NULL, ${holder.until} = NULL`) : raw('');
      await sql`
        UPDATE ${raw(spec.table)}
        SET ${raw(dueAt)} = now(), ${raw(spec.attempts)} = ${raw(spec.attempts)} - 1${unheld}
        WHERE id = ANY(${ids}::uuid[]) AND ${raw(dueAt)} IS NOT NULL${extra}
      `.execute(db);
    },
    async takeOver(db, from) {
      if (!holder) throw new Error(`leases of ${spec.table} name no holder to take over from`);
      if ('holders' in from && from.holders.length === 0) return 0;
      const held = 'holders' in from ? sql`${raw(holder.by)} = ANY(${from.holders}::text[])` : sql`${raw(holder.by)} <> ${from.allBut}`;
      // The holder's rows are found by their holder (an index of leased rows only), never by a walk of the queue.
      const result = await sql`
        UPDATE ${raw(spec.table)}
        SET ${raw(dueAt)} = now(), ${raw(holder.by)} = NULL, ${raw(holder.until)} = NULL
        WHERE ${raw(holder.by)} IS NOT NULL AND ${held} AND ${raw(dueAt)} IS NOT NULL${extra}
      `.execute(db);
      return Number(result.numAffectedRows ?? 0);
    },
  };
}

