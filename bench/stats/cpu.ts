// CPU over a timed window: this process's (PGlite runs in it), the PostgreSQL backends serving this
// benchmark's database (not the server's other databases, where other people's tests run), and how
// busy the whole machine was.
import { readFileSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../src/store/database.ts';
import { cpuSecondsOf, cpuWindow } from '../send/cpu-usage.ts';

export type CpuUse = {
  wallS: number;
  /** This process, all threads. */
  nodeS: number;
  /** Backends of this database (PostgreSQL only; 0 on PGlite). */
  serverS: number;
  /** Busy cores of the machine over the window, everything included. */
  machineCores: number;
  /** This process's main thread (which runs PGlite): seconds on a CPU, and runnable but waiting for one. */
  mainS: number;
  mainWaitS: number;
};

/** The main thread's scheduler counters so far, seconds (Documentation/scheduler/sched-stats.rst). */
function mainThread(): { run: number; wait: number } {
  try {
    const [run, wait] = readFileSync(`/proc/self/task/${process.pid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { run: run! / 1e9, wait: wait! / 1e9 };
  } catch {
    return { run: Number.NaN, wait: Number.NaN };
  }
}

const ownCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

async function backendPids(db: Kysely<Database>): Promise<number[]> {
  const { rows } = await sql<{ pid: number }>`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`.execute(db);
  return rows.map((r) => Number(r.pid));
}

/**
 * Starts a window. The backends are read before this process's clock starts and after it stops,
 * so their reading (a query and a walk of /proc) is outside this process's figure. A backend that
 * exits within the window loses its share (the pool keeps its connections while they are busy).
 */
export async function cpuMeter(db: Kysely<Database>, kind: 'pglite' | 'postgres'): Promise<{ end(): Promise<CpuUse> }> {
  const before = new Map<number, number>();
  if (kind === 'postgres') for (const pid of await backendPids(db)) before.set(pid, cpuSecondsOf(pid));
  const machine = cpuWindow({});
  const started = performance.now();
  const main = mainThread();
  const own = ownCpu();
  return {
    async end() {
      const nodeS = ownCpu() - own;
      const mainNow = mainThread();
      const wallS = (performance.now() - started) / 1000;
      const machineCores = machine.end().machineBusy / wallS;
      let serverS = 0;
      if (kind === 'postgres') {
        const pids = new Set([...before.keys(), ...(await backendPids(db))]);
        for (const pid of pids) {
          const now = cpuSecondsOf(pid);
          if (now > 0) serverS += now - (before.get(pid) ?? 0);
        }
      }
      return { wallS, nodeS, serverS, machineCores, mainS: mainNow.run - main.run, mainWaitS: mainNow.wait - main.wait };
    },
  };
}
