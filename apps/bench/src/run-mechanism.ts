import { startApi, startWorker, type RunningApi } from '@pushpull/api/testing';
import { deleteBullQueues, deleteRabbitQueues } from '@pushpull/jobs';
import type { MechanismId } from '@pushpull/contracts';
import { combine, startLoad, type Pinning } from './load-workers';
import { scrape } from './metrics-scrape';
import { publishOpenLoop } from './publisher';
import { toResult, type MechanismResult, type QueueDriverName } from './result';
import type { Scenario } from './scenarios';

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
    const pushedBy = mechanism === 'message-queue' ? 'sse' : mechanism;
    const written = (sample: typeof loaded) => sample.bytesWritten[pushedBy] ?? 0;
    return toResult({
      mechanism,
      subscribers,
      sent,
      failed,
      publishSeconds: scenario.seconds,
      wallSeconds,
      serverCpuSeconds: loaded.cpuSeconds - connected.cpuSeconds,
      // /metrics counts every request: the publishes (or job submits) are taken out.
      requests: Math.max(0, loaded.requests - connected.requests - sent),
      bytes: written(loaded) - written(connected),
      rss: { idle: idle.rssBytes, connected: connected.rssBytes },
      heap: { idle: idle.heapUsedBytes, connected: connected.heapUsedBytes },
      load: combine(await load.stop(), sent),
    });
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
    // One client on loopback measuring the mechanisms, not the limits (docs/limits.md).
    WRITE_RATE_PER_S: '0',
    MAX_CONNECTIONS_PER_IP: '0',
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
