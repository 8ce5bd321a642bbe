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
