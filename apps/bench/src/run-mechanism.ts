import { startApi, startWorker, type RunningApi } from '@pushpull/api/testing';
import { deleteBullQueues, deleteRabbitQueues } from '@pushpull/jobs';
import type { MechanismId } from '@pushpull/contracts';
import { combine, startLoad, type Pinning } from './load-workers';
import { scrape } from './metrics-scrape';
import { publishOpenLoop } from './publisher';
import type { Scenario } from './scenarios';

export interface MechanismResult {
  /** A mechanism id, or a baseline's name. */
  mechanism: MechanismId | 'raw-sse' | 'raw-ws' | `message-queue (${QueueDriverName})`;
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

export type QueueDriverName = 'memory' | 'rabbitmq' | 'bullmq';

export async function runMechanism(
  mechanism: MechanismId,
  scenario: Scenario,
  pinning: Pinning,
  queue: QueueDriverName = 'memory',
): Promise<MechanismResult> {
  const subscribers = scenario.subscribers[mechanism];
  const { api, stop } = await startServer(queue, pinning);
  try {
    const channel = `bench-${mechanism}`;
    const idle = await scrape(api.url);
    const load = await startLoad(
      { mechanism, baseUrl: api.url, channel, pollIntervalMs: scenario.pollIntervalMs },
      subscribers,
      scenario.processes,
      pinning,
    );
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
    const { latencyMs, delivered, lost, duplicates, reconnects } = combine(await load.stop(), sent);
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
      latencyMs,
      requestsPerDelivery: (loaded.requests - connected.requests - sent) / Math.max(1, delivered),
      bytesPerDelivery: bytes / Math.max(1, delivered),
      serverCpuMsPer1000: (cpuSeconds * 1000 * 1000) / Math.max(1, delivered),
      rssKiBPerIdleConnection: perConnection(connected.rssBytes, idle.rssBytes),
      heapKiBPerIdleConnection: perConnection(connected.heapUsedBytes, idle.heapUsedBytes),
      lost,
      duplicates,
      reconnects,
      clientBound: cpuSeconds / wallSeconds < 0.9,
    };
  } finally {
    await stop();
  }
}

/**
 * The API alone (memory queue), or the API plus two worker processes on a broker, all pinned to
 * the server core; broker queues get a prefix of their own and are deleted afterwards.
 */
export async function startServer(queue: QueueDriverName, pinning: Pinning) {
  const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;
  const env: Record<string, string> = {
    HISTORY_SIZE: '100000',
    LONG_POLL_MAX_WAIT_S: '30',
    SLOW_READER_MAX_BYTES: String(64 * 1024 * 1024),
    NO_COLOR: '1',
    QUEUE: queue,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: '8',
    STALLED_INTERVAL_MS: '5000',
  };
  const api: RunningApi = await startApi(env, { wrap: pinning.api });
  const workers =
    queue === 'memory'
      ? []
      : await Promise.all([
          startWorker(env, undefined, pinning.api),
          startWorker(env, undefined, pinning.api),
        ]);
  return {
    api,
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await api.stop();
      if (queue === 'rabbitmq') await deleteRabbitQueues(AMQP_URL, prefix, []);
      if (queue === 'bullmq') await deleteBullQueues(REDIS_URL, prefix);
    },
  };
}

const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
