// A process's heartbeat: registers it, beats every PROCESS_HEARTBEAT_MS, and on each beat takes
// over the leases of processes whose heartbeat stopped PROCESS_LOST_AFTER_MS ago, so the emails (and
// reply forwards) a crashed process held go out at once instead of when their leases run out.
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/database.ts';
import { startBackgroundTask } from '../shared/background-task.ts';
import { declareLostProcesses, markStopped, pruneProcesses, registerProcess, writeHeartbeat, type ProcessInfo } from './processes.repository.ts';

/** Stopped and lost processes stay on the System screen this long. */
export const FORGET_PROCESSES_AFTER_MS = 24 * 3_600_000;

/** Releases the leases held by the named dead processes (or by anyone but `allBut`); returns how many. */
export type TakeOverLeases = (trx: Transaction<Database>, from: { holders: readonly string[] } | { allBut: string }) => Promise<number>;

export type HeartbeatLog = { warn(obj: unknown, msg?: string): void; error(obj: unknown, msg?: string): void };

export type ProcessHeartbeat = {
  /** One beat and sweep now (tests). */
  beatNow(): Promise<void>;
  /** Stops beating and marks the process stopped: call it last, once nothing holds a lease. */
  stop(): Promise<void>;
};

export async function startProcessHeartbeat(deps: {
  db: Kysely<Database>;
  process: ProcessInfo;
  heartbeatMs: number;
  lostAfterMs: number;
  /**
   * The database admits this process only (PGlite, behind its directory lock): every other
   * running row is a process that died, so its leases are taken over at start, without waiting.
   */
  soleProcess?: boolean;
  takeOverLeases: TakeOverLeases;
  log?: HeartbeatLog;
}): Promise<ProcessHeartbeat> {
  const { db, process: me, log } = deps;
  await registerProcess(db, me);

  const sweep = async (lostAfterMs: number, alsoUnnamed: boolean) => {
    // One transaction: a process declared lost has its leases released, or neither happens.
    const taken = await db.transaction().execute(async (trx) => {
      const lost = await declareLostProcesses(trx, me.id, lostAfterMs);
      const released = await deps.takeOverLeases(trx, alsoUnnamed ? { allBut: me.id } : { holders: lost });
      return { lost, released };
    });
    if (taken.lost.length > 0 || taken.released > 0) {
      log?.warn({ lost: taken.lost, leases: taken.released }, `took over ${taken.released} leases (emails, reply forwards) held by processes whose heartbeat stopped`);
    }
  };
  // Leases with no process row (a version before heartbeats) are dead on a sole-process database too.
  if (deps.soleProcess) await sweep(0, true);

  const task = startBackgroundTask({
    name: 'process heartbeat',
    intervalMs: deps.heartbeatMs,
    log,
    async run() {
      // The beat first: a process that was itself slow must not look lost to its own sweep.
      if (!(await writeHeartbeat(db, me.id))) {
        log?.error({ process: me.id }, `this process's heartbeat had stopped for over ${deps.lostAfterMs} ms: another process took over its leases, so emails it was sending may go out twice`);
      }
      await sweep(deps.lostAfterMs, false);
      await pruneProcesses(db, FORGET_PROCESSES_AFTER_MS);
    },
  });
  return {
    beatNow: async () => void (await task.runNow()),
    async stop() {
      await task.stop();
      await markStopped(db, me.id);
    },
  };
}
