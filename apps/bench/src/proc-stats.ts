// CPU and memory from /proc, so the API, the baselines, peers and the load processes are all
// measured the same way, whether or not they have a /metrics of their own.
import { readFileSync, readdirSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

/** CPU seconds (user + system) and RSS of a process; zeros once it is gone. */
export function processStats(pid: number): { cpuSeconds: number; rssBytes: number } {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const rssKiB = Number(
      /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0,
    );
    return { cpuSeconds, rssBytes: rssKiB * 1024 };
  } catch {
    return { cpuSeconds: 0, rssBytes: 0 };
  }
}

/** CPU seconds of several processes together. */
export const cpuOf = (pids: number[]) =>
  pids.reduce((sum, pid) => sum + processStats(pid).cpuSeconds, 0);

/**
 * Busy seconds per core since boot (everything but idle and iowait), from /proc/stat: who ran
 * there does not matter — a neighbour on a shared machine saturates a core as surely as the API.
 */
export function coreBusySeconds(): Map<number, number> {
  const busy = new Map<number, number>();
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const match = /^cpu(\d+) (.*)$/.exec(line);
    if (!match) continue;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = match[2]!
      .trim()
      .split(/\s+/)
      .map(Number);
    void idle;
    void iowait;
    busy.set(
      Number(match[1]),
      (user! + nice! + system! + irq! + softirq! + steal!) / TICKS_PER_SECOND,
    );
  }
  return busy;
}

/** The direct children of `parent` whose command line contains `needle` (e.g. the API's main). */
export function childPids(parent: number, needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== parent) continue;
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone between the listing and the read.
    }
  }
  return pids;
}
