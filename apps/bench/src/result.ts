import type { MechanismId } from '@pushpull/contracts';
import type { combine } from './load-workers';

export type QueueDriverName = 'memory' | 'rabbitmq' | 'bullmq';
export type BaselineId = 'raw-sse' | 'raw-ws' | 'fastify-polling' | 'fastify-long-polling';

export interface MechanismResult {
  /** A mechanism id, or a baseline's name. */
  mechanism: MechanismId | BaselineId | `message-queue (${QueueDriverName})`;
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
  lost: number;
  duplicates: number;
  reconnects: number;
  /**
   * CPU the server and the load processes used over the run per second of publishing: the busy
   * share of each one's core at the plateau (1 = a full core; a little over 1 = still draining).
   */
  serverCpuShare: number;
  loadCpuShare: number;
  /** The server used under ~90 % of its core: the load generator, not the server, was the limit. */
  clientBound: boolean;
}

/** What one run measured between "every subscriber connected" and "the last events drained". */
export interface RunWindow {
  mechanism: MechanismResult['mechanism'];
  subscribers: number;
  sent: number;
  failed: number;
  publishSeconds: number;
  /** Publishing plus the drain after it. */
  wallSeconds: number;
  serverCpuSeconds: number;
  /** Requests the subscribers made in the window (publishes not included). */
  requests: number;
  /** Body bytes the server wrote to subscribers; NaN where the server does not count them. */
  bytes: number;
  rss: { idle: number; connected: number };
  heap: { idle: number; connected: number };
  load: ReturnType<typeof combine>;
}

/** The per-delivery, per-request and per-connection figures the report shows. */
export function toResult(w: RunWindow): MechanismResult {
  const { latencyMs, delivered, lost, duplicates, reconnects, loadCpuSeconds } = w.load;
  const perDelivery = (n: number) => n / Math.max(1, delivered);
  const perConnection = (now: number, idle: number) =>
    Math.max(0, now - idle) / 1024 / Math.max(1, w.subscribers);
  // Over the publishing time, not the wall time: the idle drain would dilute the plateau.
  const serverCpuShare = w.serverCpuSeconds / w.publishSeconds;
  return {
    mechanism: w.mechanism,
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
    duplicates,
    reconnects,
    serverCpuShare,
    loadCpuShare: loadCpuSeconds / w.publishSeconds,
    clientBound: serverCpuShare < 0.9,
  };
}
