import { startApi, type RunningApi } from '@pushpull/api/testing';
import type { MechanismId } from '@pushpull/contracts';
import * as hdr from 'hdr-histogram-js';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { scrape } from './metrics-scrape';
import { publishOpenLoop } from './publisher';
import type { Scenario } from './scenarios';
import type { WorkerJob, WorkerMessage, WorkerResult } from './subscriber-worker';

export interface MechanismResult {
  mechanism: MechanismId;
  subscribers: number;
  published: number;
  publishFailures: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  requestsPerDelivery: number;
  bytesPerDelivery: number;
  serverCpuMsPer1000: number;
  rssKiBPerIdleConnection: number;
  heapKiBPerIdleConnection: number;
  lost: number;
  duplicates: number;
  reconnects: number;
  /** The server used under ~90 % of its core: the load generator, not the server, was the limit. */
  clientBound: boolean;
}

export interface Pinning {
  api: string[];
  load: string[];
}

const WORKER = path.join(__dirname, 'subscriber-worker.js');

function startWorker(job: WorkerJob, pinning: Pinning) {
  const [command, ...args] = [...pinning.load, process.execPath, WORKER];
  const child = spawn(command!, args, {
    env: { ...process.env, BENCH_JOB: JSON.stringify(job) },
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
  return { ready, result };
}

export async function runMechanism(
  mechanism: MechanismId,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const subscribers = scenario.subscribers[mechanism];
  const api: RunningApi = await startApi(
    {
      HISTORY_SIZE: '100000',
      LONG_POLL_MAX_WAIT_S: '30',
      SLOW_READER_MAX_BYTES: String(64 * 1024 * 1024),
      NO_COLOR: '1',
    },
    { wrap: pinning.api },
  );
  try {
    const channel = `bench-${mechanism}`;
    const idle = await scrape(api.url);
    const processes = Math.min(scenario.processes, subscribers);
    const workers = Array.from({ length: processes }, (_, i) =>
      startWorker(
        {
          mechanism,
          baseUrl: api.url,
          channel,
          count: Math.floor(subscribers / processes) + (i < subscribers % processes ? 1 : 0),
          pollIntervalMs: scenario.pollIntervalMs,
        },
        pinning,
      ),
    );
    await Promise.all(workers.map((w) => w.ready));
    const connected = await scrape(api.url);

    const started = Date.now();
    const { sent, failed } = await publishOpenLoop({
      mechanism,
      baseUrl: api.url,
      channel,
      rate: scenario.rate,
      payloadBytes: scenario.payloadBytes,
      seconds: scenario.seconds,
    });
    // Let the last events arrive: a poll interval and the queue's round trip, with margin.
    await new Promise((resolve) => setTimeout(resolve, scenario.pollIntervalMs * 2 + 2000));
    const wallSeconds = (Date.now() - started) / 1000;
    const loaded = await scrape(api.url);
    const results = await Promise.all(workers.map((w) => w.result()));

    const histogram = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000,
      numberOfSignificantValueDigits: 3,
    });
    for (const r of results) histogram.add(hdr.decodeFromCompressedBase64(r.histogram));
    const unique = results.flatMap((r) => r.uniquePerSubscription);
    const delivered = unique.reduce((a, b) => a + b, 0);
    const pushedBy = mechanism === 'message-queue' ? 'sse' : mechanism;
    const bytes = (loaded.bytesWritten[pushedBy] ?? 0) - (connected.bytesWritten[pushedBy] ?? 0);
    const cpuSeconds = loaded.cpuSeconds - connected.cpuSeconds;
    const perConnection = (bytesNow: number, bytesIdle: number) =>
      Math.max(0, bytesNow - bytesIdle) / 1024 / Math.max(1, subscribers);

    return {
      mechanism,
      subscribers,
      published: sent,
      publishFailures: failed,
      deliveriesPerSecond: delivered / wallSeconds,
      latencyMs: {
        p50: histogram.getValueAtPercentile(50),
        p99: histogram.getValueAtPercentile(99),
        max: histogram.maxValue,
      },
      requestsPerDelivery: (loaded.requests - connected.requests - sent) / Math.max(1, delivered),
      bytesPerDelivery: bytes / Math.max(1, delivered),
      serverCpuMsPer1000: (cpuSeconds * 1000 * 1000) / Math.max(1, delivered),
      rssKiBPerIdleConnection: perConnection(connected.rssBytes, idle.rssBytes),
      heapKiBPerIdleConnection: perConnection(connected.heapUsedBytes, idle.heapUsedBytes),
      lost: unique.reduce((sum, n) => sum + (sent - n), 0),
      duplicates: results.reduce((sum, r) => sum + r.duplicates, 0),
      reconnects: results.reduce((sum, r) => sum + r.reconnects, 0),
      clientBound: cpuSeconds / wallSeconds < 0.9,
    };
  } finally {
    await api.stop();
  }
}
