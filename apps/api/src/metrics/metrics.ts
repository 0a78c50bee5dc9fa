import { Injectable } from '@nestjs/common';
import type { MechanismId } from '@pushpull/contracts';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** What the gauges read at scrape time (implemented by OpenConnections). */
export interface ConnectionGauges {
  open(): Partial<Record<MechanismId, number>>;
  longPollWaiters(): number;
  slowestPendingBytes(): Partial<Record<MechanismId, number>>;
}

/** Deliveries and bytes of one mechanism not yet handed to prom-client. */
interface Tally {
  events: number;
  bytes: number;
}

/**
 * The API's Prometheus metrics, one registry. Labels are bounded sets — mechanism, route pattern,
 * method, status, job state — never channel names or ids, so the series count cannot grow with use.
 */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  /**
   * Deliveries are the hot path (an event to a thousand followers is a thousand deliveries):
   * each adds to a plain number here, and prom-client, whose `inc` hashes its labels every
   * time, gets one increment per mechanism when it is read (a scrape), however many came.
   */
  private readonly tallies = new Map<MechanismId, Tally>();
  private readonly delivered = this.counter(
    'pushpull_events_delivered_total',
    'Channel events delivered to clients',
    ['mechanism'],
    () => this.flushTallies(),
  );
  private readonly written = this.counter(
    'pushpull_bytes_written_total',
    'Body bytes written to clients (frames, pages, heartbeats)',
    ['mechanism'],
    () => this.flushTallies(),
  );
  /** Answered requests not yet handed to prom-client, by method, route pattern and status. */
  private readonly answered = new Map<string, Map<string, Map<number, number>>>();
  private readonly requests = this.counter(
    'pushpull_http_requests_total',
    'HTTP requests answered',
    ['method', 'route', 'status'],
    () => this.flushAnswered(),
  );
  private readonly cuts = this.counter(
    'pushpull_slow_consumers_cut_total',
    'Connections closed as slow consumers',
    ['mechanism'],
  );
  private readonly refusals = this.counter(
    'pushpull_limited_total',
    'Requests, sockets and subscribes refused as rate_limited, by the limit they hit',
    ['limit'],
  );
  private readonly abandoned = this.counter(
    'pushpull_requests_abandoned_total',
    'Requests whose client went away (or was cut as too slow) before they were answered',
    [],
  );
  private readonly jobs = this.counter('pushpull_jobs_total', 'Jobs that entered each state', [
    'state',
  ]);

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  eventsDelivered(mechanism: MechanismId, events: number, bytes: number): void {
    const tally = this.tallyOf(mechanism);
    tally.events += events;
    tally.bytes += bytes;
  }

  bytesWritten(mechanism: MechanismId, bytes: number): void {
    this.tallyOf(mechanism).bytes += bytes;
  }

  /** Every request is one (a poll, a long poll): counted like deliveries, handed over at a scrape. */
  requestAnswered(method: string, route: string, status: number): void {
    let byRoute = this.answered.get(method);
    if (!byRoute) this.answered.set(method, (byRoute = new Map()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map()));
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  slowConsumerCut(mechanism: MechanismId): void {
    this.cuts.inc({ mechanism });
  }

  limited(limit: 'writes' | 'connections' | 'channels'): void {
    this.refusals.inc({ limit });
  }

  requestAbandoned(): void {
    this.abandoned.inc();
  }

  jobEntered(state: string): void {
    this.jobs.inc({ state });
  }

  /** Gauges read what is open when Prometheus scrapes, instead of tracking every change. */
  watch(gauges: ConnectionGauges): void {
    const registers = [this.registry];
    new Gauge({
      name: 'pushpull_open_connections',
      help: 'Open connections (streams, sockets, held long polls) by mechanism',
      labelNames: ['mechanism'],
      registers,
      collect() {
        this.reset();
        for (const [mechanism, count] of Object.entries(gauges.open()))
          this.set({ mechanism }, count);
      },
    });
    new Gauge({
      name: 'pushpull_long_poll_waiters',
      help: 'Long-poll requests held open, waiting for an event',
      registers,
      collect() {
        this.set(gauges.longPollWaiters());
      },
    });
    new Gauge({
      name: 'pushpull_slowest_pending_bytes',
      help: 'Unsent bytes of the slowest open connection, by mechanism',
      labelNames: ['mechanism'],
      registers,
      collect() {
        this.reset();
        for (const [mechanism, bytes] of Object.entries(gauges.slowestPendingBytes()))
          this.set({ mechanism }, bytes);
      },
    });
  }

  /** The memory backplane's retained bytes: the count MAX_RETAINED_BYTES bounds. */
  watchRetainedBytes(read: () => number): void {
    new Gauge({
      name: 'pushpull_retained_bytes',
      help: 'Bytes the memory backplane holds for retained events, as counted against MAX_RETAINED_BYTES',
      registers: [this.registry],
      collect() {
        this.set(read());
      },
    });
  }

  private tallyOf(mechanism: MechanismId): Tally {
    let tally = this.tallies.get(mechanism);
    if (!tally) this.tallies.set(mechanism, (tally = { events: 0, bytes: 0 }));
    return tally;
  }

  private flushAnswered(): void {
    for (const [method, byRoute] of this.answered)
      for (const [route, byStatus] of byRoute)
        for (const [status, count] of byStatus)
          if (count > 0) this.requests.inc({ method, route, status: String(status) }, count);
    // The label sets are bounded (route patterns, statuses): kept, at zero, for the next scrape.
    for (const byRoute of this.answered.values())
      for (const byStatus of byRoute.values())
        for (const status of byStatus.keys()) byStatus.set(status, 0);
  }

  /** Hands what was tallied to the counters; runs whenever either of them is read. */
  private flushTallies(): void {
    for (const [mechanism, tally] of this.tallies) {
      if (tally.events > 0) this.delivered.inc({ mechanism }, tally.events);
      if (tally.bytes > 0) this.written.inc({ mechanism }, tally.bytes);
      tally.events = 0;
      tally.bytes = 0;
    }
  }

  private counter(
    name: string,
    help: string,
    labelNames: string[],
    collect?: () => void,
  ): Counter<string> {
    return new Counter({ name, help, labelNames, registers: [this.registry], collect });
  }
}
