import { LatencyWindow } from './latency';
import type { Delivery, SubscriptionStats } from './types';

/**
 * The one rule every mechanism uses to keep latency honest: an event published before the current
 * connection session started (initial connect, resume after offline, reconnect after a failure,
 * EventSource's own reconnect) was waiting in the log, so its age says how long the client was
 * away, not how fast the mechanism is. It is counted as replayed; every other event is live.
 * Within a session, short polling's wait between polls stays in the latency: that is its cost.
 * Server `ts` against the client's clock: the same assumption the latency itself makes.
 */
export function classifyDelivery(
  eventTs: number,
  sessionStartedAt: number,
  receivedAt: number,
): Delivery {
  // `<=`: an event stamped in the very millisecond the session began may have been in the backlog;
  // calling it replayed keeps the latency from ever looking better than it is.
  return { replayed: eventTs <= sessionStartedAt, ageMs: Math.max(0, receivedAt - eventTs) };
}

export type DeliveryStats = Pick<
  SubscriptionStats,
  'latencyP50Ms' | 'latencyP95Ms' | 'replayed' | 'oldestReplayAgeMs'
>;

/** Live latency percentiles and the replay counters of one subscription. `now` is injectable. */
export class DeliveryTiming {
  private readonly live = new LatencyWindow();
  private replayed = 0;
  private oldestReplayAgeMs: number | undefined;
  /** Before the first session every event is a catch-up. */
  private sessionStartedAt = Number.POSITIVE_INFINITY;

  constructor(private readonly now: () => number = Date.now) {}

  /** A connection session begins its catch-up now: what was published before is replayed. */
  sessionStarted(): void {
    this.sessionStartedAt = this.now();
  }

  record(eventTs: number): Delivery {
    const delivery = classifyDelivery(eventTs, this.sessionStartedAt, this.now());
    if (delivery.replayed) {
      this.replayed += 1;
      this.oldestReplayAgeMs = Math.max(this.oldestReplayAgeMs ?? 0, delivery.ageMs);
    } else {
      this.live.add(delivery.ageMs);
    }
    return delivery;
  }

  stats(): DeliveryStats {
    return {
      replayed: this.replayed,
      oldestReplayAgeMs: this.oldestReplayAgeMs,
      latencyP50Ms: this.live.percentile(50),
      latencyP95Ms: this.live.percentile(95),
    };
  }
}
