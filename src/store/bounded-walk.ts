// One page of a list (the email log, inbound mail, suppressions) at a cost that does not grow with
// the table. On PGlite every statement holds the one thread the queue also needs, so a list page
// in a request must stay short whatever a project holds.
//
// A list is read along an index that yields its rows in the list's order (its "path"). Filters
// the index does not cover are checked on the rows read, and that read stops after a set number of
// rows: the page may then hold fewer rows than asked, even none, and `next` says where the next
// page goes on. Callers say so to their users (the OpenAPI description of each list).
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './database.ts';

/** Rows a page reads at most to check filters no index covers (a few milliseconds on PGlite: npm run bench:list). */
export const WALK_LIMIT = 5_000;

export type WalkPath = {
  /**
   * At most `walk` rows of the path past the cursor, in `order`, exposing the cursor's column as
   * `key` and, when the path pins a column (see `pinned`), that column as `k`.
   */
  read(walk: number): RawBuilder<unknown>;
  /** The order `read` yields, over its output columns (`pinnedOrder` for a pinned path). */
  order: RawBuilder<unknown>;
  /** What is left to check on each row read, if anything. */
  residual?: RawBuilder<unknown>;
};

export type WalkRow = { key: string; hit: boolean; n: string };
export type WalkPage = { keys: string[]; next: string | null };

/**
 * `column = value`, spelt as a range of one value. Told `=`, the planner takes the column for a
 * constant, sees that the primary key may also yield the list's order, and, when statistics say
 * the value is common, reads the whole table backwards by primary key hoping to meet it soon
 * (seen on both stores after an ANALYZE: list-emails.test.ts). Told a range, it must deliver the
 * rows in the order of that column too (the path's ORDER BY names it), which only the path's own
 * index does without sorting them all.
 */
export const pinned = (column: string, value: RawBuilder<unknown> | string) => sql`${sql.ref(column)} >= ${value} AND ${sql.ref(column)} <= ${value}`;

/** The order of a pinned path whose key descends (newest first). */
export const pinnedOrder = sql`k, key DESC`;

/**
 * The keys of a page (`hit`) in the path's order. `n` numbers the rows read: the row numbered
 * `walk` is the last the read may take, where a short page stops. Exported for the tests that
 * count the rows a page reads.
 */
export function walkStatement(path: WalkPath, limit: number, walkLimit = WALK_LIMIT): { statement: RawBuilder<WalkRow>; walk: number } {
  // Without checks left, the first limit + 1 rows of the path are the page and tell whether more follow.
  const walk = path.residual ? walkLimit : limit + 1;
  // The path yields rows in its order, and the window and the outer LIMIT keep that order, so
  // nothing sorts and the read stops as soon as the page is full.
  const statement = sql<WalkRow>`
    SELECT key, hit, n FROM (
      SELECT *, (${path.residual ?? sql`true`}) IS TRUE AS hit, row_number() OVER (ORDER BY ${path.order}) AS n
      FROM (${path.read(walk)}) AS walked
    ) AS marked
    WHERE hit OR n = ${walk}
    ORDER BY ${path.order} LIMIT ${limit + 1}
  `;
  return { statement, walk };
}

/** Runs a page's statement (or an EXPLAIN of it) with the planner settings it is written for. */
export async function runWalkStatement<R>(db: Kysely<Database>, statement: RawBuilder<R>): Promise<R[]> {
  return db.transaction().execute(async (trx) => {
    // Without statistics (PGlite until its first vacuum, any table just filled) the planner
    // guesses a few hundred rows per project and reads all of a project's rows through a bitmap,
    // then sorts them, rather than reading the index in order: the one plan whose cost does not
    // grow with the project. A sequential scan stays possible, so no plan is ever left with only
    // disabled nodes; and no JIT, which would cost more than such a statement.
    await sql`SELECT set_config('enable_bitmapscan', 'off', true), set_config('jit', 'off', true)`.execute(trx);
    return (await statement.execute(trx)).rows;
  });
}

/** Reads one page along a path: the keys of its rows, in order, and where the next page starts. */
export async function walkPage(db: Kysely<Database>, path: WalkPath, limit: number, walkLimit = WALK_LIMIT): Promise<WalkPage> {
  const { statement, walk } = walkStatement(path, limit, walkLimit);
  const found = await runWalkStatement(db, statement);
  const hits = found.filter((r) => r.hit).map((r) => r.key);
  const keys = hits.slice(0, limit);
  if (hits.length > limit) return { keys, next: keys[keys.length - 1]! };
  // The read stopped before the end of the path: the next page goes on past the last row read.
  const lastRead = found.find((r) => Number(r.n) === walk);
  return { keys, next: lastRead ? lastRead.key : null };
}
