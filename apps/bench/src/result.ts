import type { MechanismId } from '@pushpull/contracts';
import type { CpuShares } from './cpu-window';
import type { combine } from './load-workers';

export type QueueDriverName = 'memory' | 'rabbitmq' | 'bullmq';
export type BaselineId = 'raw-sse' | 'raw-ws' | 'fastify-polling' | 'fastify-long-polling';

/** Who subscribed in a row: lean raw-socket subscribers, or pushpull's own client. */
export type SubscriberKind = 'lean' | 'pushpull-client';

export interface MechanismResult {
  /** A mechanism id, a baseline's name, or a peer's (any server row). */
  mechanism: MechanismId | BaselineId | `message-queue (${QueueDriverName})` | (string & {});
  subscriberKind: SubscriberKind;
  subscribers: number;
  published: number;
  publishFailures: number;
  deliveriesPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  requestsPerDelivery: number;
  bytesPerDelivery: number;
  serverCpuMsPer1000: number;
  /** Server CPU per request the subscribers made (publishes included); NaN for push mechanisms. */
  serverCpuMsPerRequest: number;
  rssKiBPerIdleConnection: number;
  heapKiBPerIdleConnection: number;
  /** Deliveries never made though a later event reached the same subscriber: a hole. */
  lost: number;
  /** Deliveries not made when the bounded drain ended, with nothing later delivered either. */
  late: number;
  duplicates: number;
  reconnects: number;
  /** How long after publishing stopped the last expected delivery came (or the drain's bound). */
  drainMs: number;
  /**
   * CPU over the publishing window, from /proc: the server's process and the load's processes
   * (subscribers and publisher) per second, and how busy their cores were. `saturated` says which
   * side had nothing to spare; a row whose load was saturated does not measure the server.
   */
  cpu: CpuShares;
  /**
   * The load's core was saturated (by the load, or by other work beside it): the latencies are
   * the load generator's, an upper bound on the server's at best.
   */
  clientBound: boolean;
}

/** What one run measured between "every subscriber connected" and the end of the drain. */
export interface RunWindow {
  mechanism: MechanismResult['mechanism'];
  subscriberKind: SubscriberKind;
  subscribers: number;
  sent: number;
  failed: number;
  /** Publishing plus the drain after it. */
  wallSeconds: number;
  drainMs: number;
  /** The server's CPU from "all connected" to the end of the drain: the cost of every delivery. */
  serverCpuSeconds: number;
  /** Requests the subscribers made in the window (publishes not included). */
  requests: number;
  /** Body bytes the server wrote to subscribers; NaN where the server does not count them. */
  bytes: number;
  rss: { idle: number; connected: number };
  heap: { idle: number; connected: number };
  load: ReturnType<typeof combine>;
  cpu: CpuShares;
}

/** The per-delivery, per-request and per-connection figures the report shows. */
export function toResult(w: RunWindow): MechanismResult {
  const { latencyMs, delivered, lost, late, duplicates, reconnects } = w.load;
  const perDelivery = (n: number) => n / Math.max(1, delivered);
  const perConnection = (now: number, idle: number) =>
    Math.max(0, now - idle) / 1024 / Math.max(1, w.subscribers);
  return {
    mechanism: w.mechanism,
    subscriberKind: w.subscriberKind,
    subscribers: w.subscribers,
    published: w.sent,
    publishFailures: w.failed,
    deliveriesPerSecond: delivered / w.wallSeconds,
    latencyMs,
    requestsPerDelivery: perDelivery(w.requests),
    bytesPerDelivery: perDelivery(w.bytes),
    serverCpuMsPer1000: perDelivery(w.serverCpuSeconds * 1000 * 1000),
    serverCpuMsPerRequest:
      w.requests > 0 ? (w.serverCpuSeconds * 1000) / (w.requests + w.sent) : Number.NaN,
    rssKiBPerIdleConnection: perConnection(w.rss.connected, w.rss.idle),
    heapKiBPerIdleConnection: perConnection(w.heap.connected, w.heap.idle),
    lost,
    late,
    duplicates,
    reconnects,
    drainMs: w.drainMs,
    cpu: w.cpu,
    clientBound: w.cpu.saturated === 'load' || w.cpu.saturated === 'both',
  };
}
