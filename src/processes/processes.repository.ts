// All SQL of the processes table (migration 018): registering, heartbeats, clean stops, finding the
// processes whose heartbeat stopped, listing and pruning.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/database.ts';

export type ProcessInfo = {
  /** Also the holder name of the leases the process takes. */
  id: string;
  roles: readonly string[];
  version: string;
  host: string;
  pid: number;
  storeKind: 'pglite' | 'postgres';
};

export type ProcessState = 'alive' | 'stopped' | 'lost';

export type ListedProcess = ProcessInfo & {
  startedAt: Date;
  heartbeatAt: Date;
  /** Milliseconds since the last heartbeat, on the database's clock. */
  heartbeatAgeMs: number;
  stoppedAt: Date | null;
  /** alive: heartbeating; stopped: stopped cleanly; lost: its heartbeat stopped (crashed, killed, cut off). */
  state: ProcessState;
};

const msInterval = (ms: number) => sql`make_interval(secs => ${ms / 1000})`;

/** Records a starting process (a restart under the same id starts its row afresh). */
export async function registerProcess(db: Kysely<Database>, p: ProcessInfo): Promise<void> {
  const row = { id: p.id, roles: [...p.roles], version: p.version, host: p.host, pid: p.pid, store_kind: p.storeKind };
  await db
    .insertInto('processes')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ ...row, started_at: sql`now()`, heartbeat_at: sql`now()`, stopped_at: null, stop_kind: null }))
    .execute();
}

/**
 * Writes a heartbeat. Returns false when the process had been declared lost (its heartbeat was
 * older than the threshold, and its leases were taken over): the row is running again from now.
 */
export async function writeHeartbeat(db: Kysely<Database>, id: string): Promise<boolean> {
  const beat = await db.updateTable('processes').set({ heartbeat_at: sql`now()` }).where('id', '=', id).where('stopped_at', 'is', null).executeTakeFirst();
  if (Number(beat.numUpdatedRows) > 0) return true;
  await db.updateTable('processes').set({ heartbeat_at: sql`now()`, stopped_at: null, stop_kind: null }).where('id', '=', id).execute();
  return false;
}

export async function markStopped(db: Kysely<Database>, id: string): Promise<void> {
  await db.updateTable('processes').set({ stopped_at: sql`now()`, stop_kind: 'stopped', heartbeat_at: sql`now()` }).where('id', '=', id).where('stopped_at', 'is', null).execute();
}

/**
 * Marks lost, and returns, the running processes other than `self` whose last heartbeat is older
 * than `lostAfterMs` (or every one, when `lostAfterMs` is 0: the database admits one process).
 * The UPDATE locks each row and re-reads its heartbeat after any concurrent one commits, so a
 * process that beat in the meantime is left alone, and of two processes sweeping at once only one
 * declares a given process lost: the caller that gets an id back takes over its leases.
 */
export async function declareLostProcesses(trx: Transaction<Database>, self: string, lostAfterMs: number): Promise<string[]> {
  const rows = await trx
    .updateTable('processes')
    .set({ stopped_at: sql`now()`, stop_kind: 'lost' })
    .where('stopped_at', 'is', null)
    .where('id', '<>', self)
    .$if(lostAfterMs > 0, (qb) => qb.where('heartbeat_at', '<', sql<Date>`now() - ${msInterval(lostAfterMs)}`))
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}

/** Forgets processes that stopped (cleanly or not) more than `afterMs` ago. */
export async function pruneProcesses(db: Kysely<Database>, afterMs: number): Promise<void> {
  await db.deleteFrom('processes').where('stopped_at', '<', sql<Date>`now() - ${msInterval(afterMs)}`).execute();
}

/** Running processes first, then the most recently started; at most `limit`. */
export async function listProcesses(db: Kysely<Database>, lostAfterMs: number, limit = 200): Promise<ListedProcess[]> {
  const rows = await db
    .selectFrom('processes')
    .selectAll()
    .select(sql<number>`(extract(epoch from now() - heartbeat_at) * 1000)::float8`.as('age_ms'))
    .orderBy(sql`stopped_at IS NULL`, 'desc')
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    roles: r.roles,
    version: r.version,
    host: r.host,
    pid: r.pid,
    storeKind: r.store_kind,
    startedAt: r.started_at,
    heartbeatAt: r.heartbeat_at,
    heartbeatAgeMs: Math.max(0, Math.round(r.age_ms)),
    stoppedAt: r.stopped_at,
    // A process may be past the threshold before anyone has swept it: it reads as lost all the same.
    state: r.stop_kind ?? (r.age_ms > lostAfterMs ? 'lost' : 'alive'),
  }));
}
