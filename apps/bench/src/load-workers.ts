import * as hdr from 'hdr-histogram-js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { WorkerJob, WorkerMessage, WorkerResult } from './subscriber-worker';

export interface Pinning {
  api: string[];
  load: string[];
}

const WORKER = path.join(__dirname, 'subscriber-worker.js');

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
  const workers = Array.from({ length: count }, (_, i) => {
    const [command, ...args] = [...pinning.load, process.execPath, WORKER];
    const share = Math.floor(total / count) + (i < total % count ? 1 : 0);
    const child = spawn(command!, args, {
      env: { ...process.env, BENCH_JOB: JSON.stringify({ ...job, count: share }) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const ready = new Promise<void>((resolve) =>
      child.on('message', (m: WorkerMessage) => m.kind === 'ready' && resolve()),
    );
    const result = () =>
      new Promise<WorkerResult>((resolve) => {
        child.on('message', (m: WorkerMessage) => m.kind === 'result' && resolve(m.result));
        child.send({ kind: 'stop' });
      });
    return { child, ready, result };
  });
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      workers.forEach((w) => w.child.kill('SIGKILL'));
      reject(new Error(`${total} subscribers did not all connect within ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
  });
  await Promise.race([Promise.all(workers.map((w) => w.ready)), timedOut]).finally(() =>
    clearTimeout(timer),
  );
  return { stop: () => Promise.all(workers.map((w) => w.result())) };
}

/** Merges the load processes' results: one histogram, one count of what each subscriber got. */
export function combine(results: WorkerResult[], sent: number) {
  const histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000,
    numberOfSignificantValueDigits: 3,
  });
  for (const r of results) histogram.add(hdr.decodeFromCompressedBase64(r.histogram));
  const unique = results.flatMap((r) => r.uniquePerSubscription);
  return {
    latencyMs: {
      p50: histogram.getValueAtPercentile(50),
      p99: histogram.getValueAtPercentile(99),
      max: histogram.maxValue,
    },
    delivered: unique.reduce((a, b) => a + b, 0),
    lost: unique.reduce((sum, n) => sum + (sent - n), 0),
    duplicates: results.reduce((sum, r) => sum + r.duplicates, 0),
    reconnects: results.reduce((sum, r) => sum + r.reconnects, 0),
    requests: results.reduce((sum, r) => sum + r.requests, 0),
    loadCpuSeconds: results.reduce((sum, r) => sum + r.cpuSeconds, 0),
  };
}
