import * as hdr from 'hdr-histogram-js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type {
  Expected,
  ParentMessage,
  WorkerJob,
  WorkerMessage,
  WorkerResult,
} from './subscriber-worker';

export interface Pinning {
  /** Command prefixes for the server's processes and the load's (taskset, the descriptor limit). */
  api: string[];
  load: string[];
  /** The cores each side is pinned to; null when nothing is pinned. */
  cores: { api: number[]; load: number[] } | null;
}

/**
 * Raises the soft limit on open descriptors to the hard one before the command runs: 10 000
 * subscribers are 10 000 sockets in the load processes and as many in the server, over the 1 024
 * many systems start a shell with. (The hard limit itself is the system's: see docs/bench.md.)
 */
export const RAISE_NOFILE = ['sh', '-c', 'ulimit -n "$(ulimit -Hn)" 2>/dev/null; exec "$@"', 'sh'];

const WORKER = path.join(__dirname, 'subscriber-worker.js');

type Child = ReturnType<typeof spawn>;

/** One request to a worker and its one answer of `kind`. */
function ask<K extends WorkerMessage['kind']>(
  child: Child,
  message: ParentMessage,
  kind: K,
): Promise<Extract<WorkerMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    // A load process that died (out of memory, a crash) would otherwise leave the run waiting.
    const exited = (code: number | null) =>
      reject(new Error(`a load process exited (${code}) before answering ${message.kind}`));
    const listener = (m: WorkerMessage) => {
      if (m.kind !== kind) return;
      child.off('message', listener);
      child.off('exit', exited);
      resolve(m as Extract<WorkerMessage, { kind: K }>);
    };
    child.on('message', listener);
    child.once('exit', exited);
    if (child.exitCode !== null || !child.connected) return exited(child.exitCode);
    child.send(message);
  });
}

/**
 * Spreads `total` subscribers over `processes` pinned load processes; resolves once all are open.
 * A server too loaded to accept them all within `readyTimeoutMs` fails the run (the ramp's last step).
 */
export async function startLoad(
  job: Omit<WorkerJob, 'count'>,
  total: number,
  processes: number,
  pinning: Pinning,
  readyTimeoutMs = 120_000,
) {
  const count = Math.min(processes, total);
  const children = Array.from({ length: count }, (_, i) => {
    const [command, ...args] = [...pinning.load, process.execPath, WORKER];
    const share = Math.floor(total / count) + (i < total % count ? 1 : 0);
    return spawn(command!, args, {
      env: { ...process.env, BENCH_JOB: JSON.stringify({ ...job, count: share }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  });
  const ready = children.map(
    (child) =>
      new Promise<void>((resolve, reject) => {
        child.on('message', (m: WorkerMessage) => m.kind === 'ready' && resolve());
        child.on('exit', (code) => reject(new Error(`a load process exited (${code})`)));
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(new Error(`${total} subscribers did not all connect within ${readyTimeoutMs} ms`)),
      readyTimeoutMs,
    );
  });
  try {
    await Promise.race([Promise.all(ready), timedOut]);
  } catch (error) {
    children.forEach((child) => child.kill('SIGKILL'));
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return {
    /** The load processes, for their CPU from /proc. */
    pids: children.map((child) => child.pid!),
    /**
     * Waits until every subscriber has every event that was sent, or `boundMs` passes: events
     * still in flight when publishing stops are waited for rather than counted as lost.
     */
    async drain(expected: Expected, boundMs: number): Promise<{ complete: boolean; ms: number }> {
      const started = Date.now();
      for (;;) {
        const answers = await Promise.all(
          children.map((child) => ask(child, { kind: 'progress', expected }, 'progress')),
        );
        const missing = answers.reduce((sum, a) => sum + a.missing, 0);
        const ms = Date.now() - started;
        if (missing === 0 || ms >= boundMs) return { complete: missing === 0, ms };
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    /** A new measured window on the same connections, from sequence number `base`. */
    reset: (base: number) =>
      Promise.all(children.map((child) => ask(child, { kind: 'reset', base }, 'reset'))),
    /** The window's results, the subscribers kept connected. */
    measure: (expected: Expected) =>
      Promise.all(
        children.map(
          async (child) => (await ask(child, { kind: 'measure', expected }, 'result')).result,
        ),
      ),
    stop: (expected: Expected) =>
      Promise.all(
        children.map(
          async (child) => (await ask(child, { kind: 'stop', expected }, 'result')).result,
        ),
      ),
  };
}

/** Merges the load processes' results: one histogram, the outcome of every expected delivery. */
export function combine(results: WorkerResult[]) {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const r of results) histogram.add(hdr.decodeFromCompressedBase64(r.histogram));
  const total = (of: (r: WorkerResult) => number) => results.reduce((n, r) => n + of(r), 0);
  return {
    latencyMs: {
      p50: histogram.getValueAtPercentile(50),
      p99: histogram.getValueAtPercentile(99),
      max: histogram.maxValue,
    },
    delivered: total((r) => r.delivered),
    lost: total((r) => r.lost),
    late: total((r) => r.late),
    duplicates: total((r) => r.duplicates),
    reconnects: total((r) => r.reconnects),
    requests: total((r) => r.requests),
  };
}
