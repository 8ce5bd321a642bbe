// CPU accounting over a timed window, read from /proc: how busy the whole machine was and how much
// of it our processes used. On a shared 2-core machine this tells a slow run from a crowded one.
import { readFileSync, readdirSync } from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far; 0 once it has gone. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by all PostgreSQL server processes on this machine (0 without one). */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSecondsOf(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/** Busy CPU seconds of the whole machine so far (all cores, everything but idle and iowait). */
function machineBusySeconds(): number {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return (user! + nice! + system! + irq! + softirq! + steal!) / CLOCK_TICKS;
}

export type CpuReport = { machineBusy: number; parts: Record<string, number>; other: number };

/** Starts a window; `end()` gives the CPU seconds used meanwhile by the machine and by each part. */
export function cpuWindow(parts: Record<string, () => number>) {
  const start = Object.fromEntries(Object.entries(parts).map(([k, read]) => [k, read()]));
  const busyStart = machineBusySeconds();
  return {
    end(): CpuReport {
      const used = Object.fromEntries(Object.entries(parts).map(([k, read]) => [k, read() - start[k]!]));
      const machineBusy = machineBusySeconds() - busyStart;
      const ours = Object.values(used).reduce((a, b) => a + b, 0);
      return { machineBusy, parts: used, other: Math.max(0, machineBusy - ours) };
    },
  };
}

/**
 * Waits until the machine is quiet (other people's tests share it): less than `maxBusyCores` busy
 * over a 2 s sample, or gives up after `timeoutMs`. Returns the last busy figure, in cores.
 */
export async function waitForQuietMachine(maxBusyCores = 0.3, timeoutMs = 120_000): Promise<{ busyCores: number; waitedMs: number }> {
  const started = Date.now();
  for (;;) {
    const before = machineBusySeconds();
    await new Promise((r) => setTimeout(r, 2000));
    const busyCores = (machineBusySeconds() - before) / 2;
    const waitedMs = Date.now() - started;
    if (busyCores <= maxBusyCores || waitedMs >= timeoutMs) return { busyCores, waitedMs };
  }
}

/** A thread's seconds so far on a CPU and runnable but waiting for one. */
type Schedstat = { run: number; wait: number };

/** Per thread of a process (by thread id): its scheduler counters so far. */
function schedstats(pid: number): Map<number, Schedstat> {
  const threads = new Map<number, Schedstat>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads; // the process has gone
  }
  for (const tid of tids) {
    try {
      // "<ns on a CPU> <ns runnable, waiting> <timeslices>" (Documentation/scheduler/sched-stats.rst)
      const [run, wait] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
      threads.set(Number(tid), { run: run! / 1e9, wait: wait! / 1e9 });
    } catch {
      // the thread ended meanwhile
    }
  }
  return threads;
}

export type ThreadShare = { cpu: number; wait: number };
/**
 * How Sendtrail's threads and the sink spent a timed window: seconds on a CPU and seconds runnable
 * but waiting for one. On two shared cores the wait is the latency an SMTP round trip pays on top
 * of the work itself. The busiest thread after the main one is taken for the SMTP thread (the
 * benchmark sends and tracks nothing else); the rest are V8's and libuv's helpers.
 */
export type ThreadReport = { main: ThreadShare; smtp: ThreadShare; helpers: ThreadShare; sink: ThreadShare };

export function threadWindow(sendtrailPid: number, sinkPid: number) {
  const start = { sendtrail: schedstats(sendtrailPid), sink: schedstats(sinkPid) };
  const delta = (before: Map<number, Schedstat>, tid: number, now: Schedstat): ThreadShare => ({
    cpu: now.run - (before.get(tid)?.run ?? 0),
    wait: now.wait - (before.get(tid)?.wait ?? 0),
  });
  const add = (a: ThreadShare, b: ThreadShare): ThreadShare => ({ cpu: a.cpu + b.cpu, wait: a.wait + b.wait });
  const zero = (): ThreadShare => ({ cpu: 0, wait: 0 });
  return {
    end(): ThreadReport {
      const others: ThreadShare[] = [];
      let main = zero();
      for (const [tid, now] of schedstats(sendtrailPid)) {
        const d = delta(start.sendtrail, tid, now);
        if (tid === sendtrailPid) main = d;
        else others.push(d);
      }
      others.sort((a, b) => b.cpu - a.cpu);
      let sink = zero();
      for (const [tid, now] of schedstats(sinkPid)) sink = add(sink, delta(start.sink, tid, now));
      return { main, smtp: others[0] ?? zero(), helpers: others.slice(1).reduce(add, zero()), sink };
    },
  };
}
