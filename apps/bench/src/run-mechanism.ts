import { startApi, type RunningApi } from '@pushpull/api/testing';
import type { MechanismId } from '@pushpull/contracts';
import { combine, startLoad, type Pinning } from './load-workers';
import { scrape } from './metrics-scrape';
import { publishOpenLoop } from './publisher';
import type { Scenario } from './scenarios';

export interface MechanismResult {
  /** A mechanism id, or a baseline's name. */
  mechanism: MechanismId | 'raw-sse' | 'raw-ws';
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
    await api.stop();
  }
}
