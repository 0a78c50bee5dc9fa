import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // Linux USER_HZ

export interface ProcessStats {
  cpuSeconds: number;
  rssBytes: number;
}

/** The direct children of a process (nginx's master → its worker), from /proc. */
export function childPids(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

function ownStats(pid: number): ProcessStats {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const cpuSeconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return { cpuSeconds, rssBytes: rssKiB * 1024 };
  } catch {
    return { cpuSeconds: 0, rssBytes: 0 }; // gone between listing and reading
  }
}

/**
 * CPU seconds and RSS of a process and its children, summed: a peer without /metrics is measured
 * from outside, and nginx's connections live in its worker, not the master taskset started.
 * (nginx's master and worker share pages, so their summed RSS overstates the total a little; the
 * growth per connection is the worker's.)
 */
export function processTreeStats(pid: number): ProcessStats {
  return [pid, ...childPids(pid)].map(ownStats).reduce((sum, s) => ({
    cpuSeconds: sum.cpuSeconds + s.cpuSeconds,
    rssBytes: sum.rssBytes + s.rssBytes,
  }));
}
