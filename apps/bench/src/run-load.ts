// One measured row, whatever the server: subscribers connect, the publisher runs open-loop, the
// subscribers are waited for until every expected delivery has arrived (or a bounded drain ends),
// and CPU and memory come from /proc. pushpull's API adds its /metrics (requests, bytes, heap).
import { cpuShares, cpuSnapshot } from './cpu-window';
import { combine, startLoad, type Pinning } from './load-workers';
import { scrape, type ServerSample } from './metrics-scrape';
import { processStats } from './proc-stats';
import { publishOpenLoop, type PublishTarget } from './publisher';
import { toResult, type MechanismResult, type SubscriberKind } from './result';
import type { Scenario } from './scenarios';
import type { SubscriberSpec } from './subscribers/types';

/**
 * Everything a server row needs: the server already started (pinned with `pinning.api`), its main
 * process, who subscribes to it over which wire, and where to publish.
 */
export interface ServerRow {
  label: MechanismResult['mechanism'];
  subscriber: SubscriberSpec;
  subscribers: number;
  publish: PublishTarget;
  /**
   * The server's processes (nginx: its master and workers), CPU and RSS summed, from /proc. The
   * saturation verdict reads their CPU as one core's worth, like a Node server's one thread.
   */
  serverPids: number[];
  /**
   * Resolves once the server holds every subscriber, where the subscribers cannot tell (nchan's
   * held long polls); the load's own "all open" is enough elsewhere.
   */
  ready?: () => Promise<void>;
  /** pushpull's API only: its /metrics, and which mechanism's written bytes are this row's. */
  metrics?: { baseUrl: string; bytesOf: string };
}

const kindOf = (spec: SubscriberSpec): SubscriberKind =>
  spec.client === 'lean' ? 'lean' : 'pushpull-client';

export interface Sample {
  process: { cpuSeconds: number; rssBytes: number };
  metrics: ServerSample | undefined;
}

/** The server's processes from /proc (CPU and RSS summed) and, for the API, its /metrics. */
export async function sample(row: ServerRow): Promise<Sample> {
  const each = row.serverPids.map(processStats);
  return {
    process: {
      cpuSeconds: each.reduce((sum, s) => sum + s.cpuSeconds, 0),
      rssBytes: each.reduce((sum, s) => sum + s.rssBytes, 0),
    },
    metrics: row.metrics ? await scrape(row.metrics.baseUrl) : undefined,
  };
}

export async function measureRun(
  row: ServerRow,
  scenario: Scenario,
  pinning: Pinning,
): Promise<MechanismResult> {
  const idle = await sample(row);
  const load = await startLoad(
    { spec: row.subscriber, pollIntervalMs: scenario.pollIntervalMs },
    row.subscribers,
    scenario.processes,
    pinning,
  );
  try {
    await row.ready?.();
  } catch (error) {
    await load.stop({ sent: 0, failedSeqs: [] }); // no load process outlives a failed row
    throw error;
  }
  const connected = await sample(row);

  const started = Date.now();
  const before = cpuSnapshot(row.serverPids, load.pids);
  const { sent, failedSeqs, storedBefore } = await publishOpenLoop({
    target: row.publish,
    rate: scenario.rate,
    payloadBytes: scenario.payloadBytes,
    seconds: scenario.seconds,
  });
  const cpu = cpuShares(before, cpuSnapshot(row.serverPids, load.pids), pinning);
  const expected = { sent, failedSeqs };
  const drain = await load.drain(expected, scenario.drainSeconds * 1000);
  const wallSeconds = (Date.now() - started) / 1000;
  const loaded = await sample(row);
  const measured = combine(await load.stop({ ...expected, storedBefore }));

  const m = row.metrics;
  const written = (s: Sample) => (m && s.metrics ? (s.metrics.bytesWritten[m.bytesOf] ?? 0) : 0);
  const heap = (s: Sample) => s.metrics?.heapUsedBytes ?? Number.NaN;
  return toResult({
    mechanism: row.label,
    subscriberKind: kindOf(row.subscriber),
    subscribers: row.subscribers,
    sent,
    failed: failedSeqs.length,
    wallSeconds,
    drainMs: drain.ms,
    serverCpuSeconds: loaded.process.cpuSeconds - connected.process.cpuSeconds,
    // The API counts every request: the publishes (or job submits) are taken out. Elsewhere the
    // subscribers' own count.
    requests:
      loaded.metrics && connected.metrics
        ? Math.max(0, loaded.metrics.requests - connected.metrics.requests - sent)
        : measured.requests,
    bytes: m ? written(loaded) - written(connected) : Number.NaN,
    rss: { idle: idle.process.rssBytes, connected: connected.process.rssBytes },
    heap: { idle: heap(idle), connected: heap(connected) },
    load: measured,
    cpu,
  });
}
