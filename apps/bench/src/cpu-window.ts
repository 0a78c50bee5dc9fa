// Who was saturated during publishing: the CPU the server's processes and the load's processes
// (subscribers and this process, the publisher) used, and how busy their cores were, from /proc.
import { coreBusySeconds, cpuOf } from './proc-stats';
import type { Pinning } from './load-workers';

export interface CpuSnapshot {
  at: number;
  server: number;
  load: number;
  cores: Map<number, number>;
}

export function cpuSnapshot(serverPids: number[], loadPids: number[]): CpuSnapshot {
  return {
    at: Date.now(),
    server: cpuOf(serverPids),
    load: cpuOf([...loadPids, process.pid]),
    cores: coreBusySeconds(),
  };
}

/** A core (or the processes on it) this busy or busier had nothing to spare. */
export const SATURATED = 0.9;

export type Saturated = 'server' | 'load' | 'both' | 'neither';

export interface CpuShares {
  /** The server's processes' CPU per second of the window (1 = one full core). */
  serverCpuShare: number;
  /** The load processes' and the publisher's, per load core (1 = every load core full). */
  loadCpuShare: number;
  /** How busy the server's and the load's cores were, whoever used them; NaN when not pinned. */
  serverCoreBusy: number;
  loadCoreBusy: number;
  /** Whose own processes used 90 % or more of their core(s). */
  saturated: Saturated;
  /**
   * The load's core was 90 % busy or more though the load itself used less: other work (a
   * neighbour on a shared machine) left the subscribers no CPU to spare either.
   */
  loadStarved: boolean;
  /** The same on the server's core. */
  serverStarved: boolean;
}

export function cpuShares(from: CpuSnapshot, to: CpuSnapshot, pinning: Pinning): CpuShares {
  const seconds = Math.max(0.001, (to.at - from.at) / 1000);
  const busy = (cores: number[] | undefined) =>
    cores
      ? cores.reduce((sum, c) => sum + (to.cores.get(c) ?? 0) - (from.cores.get(c) ?? 0), 0) /
        seconds /
        cores.length
      : Number.NaN;
  const loadCores = pinning.cores?.load.length ?? 1;
  const shares = {
    serverCpuShare: (to.server - from.server) / seconds,
    loadCpuShare: (to.load - from.load) / seconds / loadCores,
    serverCoreBusy: busy(pinning.cores?.api),
    loadCoreBusy: busy(pinning.cores?.load),
  };
  // The server is one Node process: one core is its ceiling, whether or not it is pinned.
  const server = shares.serverCpuShare >= SATURATED;
  const load = shares.loadCpuShare >= SATURATED;
  const saturated = server && load ? 'both' : server ? 'server' : load ? 'load' : 'neither';
  return {
    ...shares,
    saturated,
    serverStarved: !server && shares.serverCoreBusy >= SATURATED,
    loadStarved: !load && shares.loadCoreBusy >= SATURATED,
  };
}
