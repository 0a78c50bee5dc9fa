import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConsumerLease } from './consumer-lease';
import { bullConnection } from './bull-names';

export interface OrderedConsumerOptions {
  url: string;
  queue: string;
  /** Jobs fetched and handed over but not yet marked completed in Redis. */
  maxInFlight: number;
  log(message: string): void;
}

// A report is in flight for milliseconds; a lock this long is never extended (a report still in
// flight after it means a stuck API: the stalled check hands it back and the recorder's state
// machine drops what it already applied). BullMQ's default, and what the reports worker had.
const LOCK_DURATION_MS = 30_000;
// The fetch blocks this long on an empty queue (BullMQ's drainDelay, in seconds) before it looks at
// the lease and at stopping again: the most a stop waits for an idle fetch.
const BLOCK_S = 1;
const LEASE = { ttlMs: 5_000, renewEveryMs: 1_000 };
const RETRY_MS = 1_000;

/**
 * Consumes a BullMQ queue in order with several jobs in flight. One loop waits for a job, fetches
 * whatever else is queued in the same round trip (BullMQ's manual API, `getNextJob`), and hands
 * the batch to `handle` in queue order as soon as it is fetched; each job is marked completed once
 * its promise settles, while the loop already fetches the next batch: up to `maxInFlight` jobs
 * overlap instead of one job, and one round trip, at a time. `handle` keeps whatever order it
 * needs among the jobs it has been handed (the job recorder applies one job's reports one at a
 * time, in call order).
 *
 * Across API instances only the holder of a lease fetches (several fetching at once could hand
 * one job's reports to two instances, applied in either order); a new holder waits until the
 * queue has no active job left, so the previous holder's reports are settled, or handed back by
 * BullMQ's stalled check, before it fetches the next.
 */
export class OrderedConsumer {
  private readonly worker: Worker;
  private readonly queue: Queue;
  private readonly connections: Redis[];
  private readonly lease: ConsumerLease;
  private readonly tokenPrefix = randomUUID();
  private readonly inFlight = new Set<Promise<void>>();
  private fetched = 0;
  /** How many more to fetch with the next waited-for job (`fetchMore`). */
  private batch = 1;
  private drainedTerm = 0;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private slotFreed: (() => void) | undefined;

  constructor(private readonly options: OrderedConsumerOptions) {
    this.connections = [bullConnection(options.url), bullConnection(options.url)];
    this.worker = new Worker(options.queue, null, {
      connection: this.connections[0]!,
      autorun: false,
      lockDuration: LOCK_DURATION_MS,
      drainDelay: BLOCK_S,
    });
    this.worker.on('error', (error) => options.log(`BullMQ reports: ${error.message}`));
    const connection = this.connections[1]!;
    this.queue = new Queue(options.queue, { connection });
    this.lease = new ConsumerLease(connection, consumerLeaseKey(options.queue), {
      ...LEASE,
      log: options.log,
    });
  }

  async start(handle: (data: unknown) => Promise<void>): Promise<void> {
    // A global concurrency left by the one-at-a-time consumer would cap the active jobs at 1.
    await this.queue.removeGlobalConcurrency();
    await this.worker.waitUntilReady();
    // Manual fetching runs no stalled check by itself: this one hands back what a dead holder left.
    await this.worker.startStalledCheckTimer();
    this.lease.start();
    this.loop = this.run(handle);
  }

  /** Stops fetching, lets the jobs in flight settle and be marked, then gives up the lease. */
  async close(): Promise<void> {
    this.stopping = true;
    this.slotFreed?.();
    await this.loop;
    await Promise.all(this.inFlight);
    await this.lease.stop();
    await this.worker.close();
    await this.queue.close();
    for (const connection of this.connections) connection.disconnect();
  }

  private async run(handle: (data: unknown) => Promise<void>): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.inFlight.size >= this.options.maxInFlight) {
          await new Promise<void>((resolve) => (this.slotFreed = resolve));
          continue;
        }
        if (!(await this.mayFetch())) {
          await sleep(LEASE.renewEveryMs / 4);
          continue;
        }
        // Waits for work, then takes what else is queued in one round trip (`fetchMore`).
        const first = await this.worker.getNextJob(this.nextToken(), { block: true });
        // Handed over even when stopping began during the fetch: they are active and ours to finish.
        if (!first) continue;
        const more = await this.fetchMore(this.options.maxInFlight - this.inFlight.size - 1);
        for (const job of [first, ...more]) this.track(job, handle);
      } catch (error) {
        this.options.log(`BullMQ reports: ${String(error)}`);
        if (!this.stopping) await sleep(RETRY_MS);
      }
    }
  }

  private nextToken(): string {
    return `${this.tokenPrefix}:${++this.fetched}`;
  }

  /**
   * Up to `room` more jobs, fetched at once without blocking: one round trip for a batch instead
   * of one per report. Sent together, the fetches may reach Redis in any order, so the jobs come
   * back sorted by id: BullMQ numbers a job from one counter in the same script that queues it, so
   * id order is queue order. The batch grows while it comes back full and shrinks to what the
   * queue held, so a trickle of reports does not cost a burst of empty fetches each.
   */
  private async fetchMore(room: number): Promise<Job[]> {
    const size = Math.min(room, this.batch);
    if (size <= 0) return [];
    const fetched = await Promise.all(
      Array.from({ length: size }, () =>
        this.worker.getNextJob(this.nextToken(), { block: false }),
      ),
    );
    const jobs = fetched.filter((job): job is Job => job !== undefined);
    this.batch =
      jobs.length === size ? Math.min(size * 2, this.options.maxInFlight) : jobs.length + 1;
    return jobs.sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** Whether this instance holds the lease, and any previous holder's reports have settled. */
  private async mayFetch(): Promise<boolean> {
    const term = this.lease.heldTerm();
    if (term === undefined) return false;
    if (term === this.drainedTerm) return true;
    if ((await this.queue.getActiveCount()) > 0) return false;
    this.drainedTerm = term;
    return true;
  }

  private track(job: Job, handle: (data: unknown) => Promise<void>): void {
    const token = job.token!;
    // Called right here, before the next fetch, so `handle` sees the jobs in queue order.
    let handled: Promise<void>;
    try {
      handled = handle(job.data);
    } catch (error) {
      handled = Promise.reject(error);
    }
    const marked = handled
      .then(
        () => job.moveToCompleted(null, token, false),
        (error: unknown) =>
          job.moveToFailed(error instanceof Error ? error : new Error(String(error)), token, false),
      )
      .then(
        () => undefined,
        (error: unknown) =>
          this.options.log(`BullMQ report ${job.id ?? '?'} not marked done: ${String(error)}`),
      );
    this.inFlight.add(marked);
    void marked.then(() => {
      this.inFlight.delete(marked);
      this.slotFreed?.();
      this.slotFreed = undefined;
    });
  }
}

/** The Redis key of the reports queue's consumer lease (BullMQ's own keys are `bull:<queue>:…`). */
export function consumerLeaseKey(queue: string): string {
  return `bull:${queue}:consumer-lease`;
}
