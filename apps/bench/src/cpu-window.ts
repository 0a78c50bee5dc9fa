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
  /**
   * Which side had no CPU to spare: its pinned core 90 % busy or more, whoever used it (a
   * neighbour on a shared machine starves the API as surely as its own work), or, unpinned, its
   * own processes at 90 % of a core.
   */
  saturated: Saturated;
  /** The server's core was saturated though the server itself used under 90 % of it. */
  serverShared: boolean;
  /** The same on the load's core. */
  loadShared: boolean;
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
  const ownServer = shares.serverCpuShare >= SATURATED;
  const ownLoad = shares.loadCpuShare >= SATURATED;
  const server = ownServer || shares.serverCoreBusy >= SATURATED;
  const load = ownLoad || shares.loadCoreBusy >= SATURATED;
  const saturated = server && load ? 'both' : server ? 'server' : load ? 'load' : 'neither';
  return {
    ...shares,
    saturated,
    serverShared: server && !ownServer,
    loadShared: load && !ownLoad,
  };
}
