// A load-generator process: holds `count` subscribers (lean ones over raw sockets, or pushpull's
// own client) and records publish→receive latency into an HDR histogram and each subscriber's
// sequence numbers into a bitset. Forked by load-workers.ts; talks to its parent over IPC.
import * as hdr from 'hdr-histogram-js';
import { createSubscriber } from './subscribers/create';
import { SeqTracker } from './subscribers/seq-tracker';
import type { Subscriber, SubscriberSpec } from './subscribers/types';

export interface WorkerJob {
  spec: SubscriberSpec;
  count: number;
  pollIntervalMs: number;
}

/** What the publisher sent: sequence numbers 0 … sent − 1, less those whose publish failed. */
export interface Expected {
  sent: number;
  failedSeqs: number[];
  /** The publisher's `storedBefore`, to tell lost from late (only needed at `stop`). */
  storedBefore?: number[];
}

export interface WorkerResult {
  histogram: string;
  received: number;
  /** Distinct events delivered, over all subscribers. */
  delivered: number;
  /** Never delivered though a later event was: a hole. */
  lost: number;
  /** Not there at the cutoff, and nothing after them was: in flight, or a stalled stream. */
  late: number;
  duplicates: number;
  reconnects: number;
  /** Requests the subscribers made once all were open (pull mechanisms ask again and again). */
  requests: number;
}

/**
 * `reset` starts a new measured window on the same connections (the capacity scenario's next
 * step): a fresh histogram and fresh trackers, counting from sequence number `base` (earlier
 * steps' stragglers are ignored). `measure` answers like `stop` but keeps the subscribers.
 */
export type ParentMessage =
  | { kind: 'progress'; expected: Expected }
  | { kind: 'reset'; base: number }
  | { kind: 'measure'; expected: Expected }
  | { kind: 'stop'; expected: Expected };
export type WorkerMessage =
  | { kind: 'ready' }
  | { kind: 'progress'; missing: number }
  | { kind: 'reset' }
  | { kind: 'result'; result: WorkerResult };

/** Subscribers opened per batch, a batch every BATCH_MS: a burst the server's accept queue takes. */
const BATCH = 100;
const BATCH_MS = 20;

const job = JSON.parse(process.env.BENCH_JOB ?? '{}') as WorkerJob;
const histogram = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000,
  numberOfSignificantValueDigits: 3,
});
const trackers: SeqTracker[] = [];
const subscribers: Subscriber[] = [];
let received = 0;
/** The first sequence number of the window being measured (see `reset`). */
let base = 0;

function open(index: number): Subscriber {
  trackers[index] = new SeqTracker();
  return createSubscriber(
    job.spec,
    (seq, sentAt) => {
      received += 1;
      // From the intended send time, not the actual one: a late publisher cannot hide latency.
      // Below `base` (an earlier window's) the tracker ignores it.
      if (trackers[index]!.record(seq - base))
        histogram.recordValue(Math.max(1, Date.now() - sentAt));
    },
    { pollIntervalMs: job.pollIntervalMs },
  );
}

const opening = setInterval(() => {
  const end = Math.min(job.count, subscribers.length + BATCH);
  while (subscribers.length < end) subscribers.push(open(subscribers.length));
  if (subscribers.length === job.count) clearInterval(opening);
}, BATCH_MS);

const sum = (of: (s: Subscriber) => number) => subscribers.reduce((n, s) => n + of(s), 0);
let requestsAtReady = 0;
const ready = setInterval(() => {
  if (subscribers.length === job.count && subscribers.every((s) => s.open)) {
    clearInterval(ready);
    requestsAtReady = sum((s) => s.requests);
    process.send?.({ kind: 'ready' } satisfies WorkerMessage);
  }
}, 50);

function outcomes({ sent, failedSeqs, storedBefore }: Expected) {
  const skipped = new Set(failedSeqs);
  let lost = 0;
  let late = 0;
  for (const tracker of trackers) {
    const outcome = tracker.outcome(sent, skipped, storedBefore);
    lost += outcome.lost;
    late += outcome.late;
  }
  return { lost, late };
}

// The bench stopped without saying so (killed, crashed): no subscriber outlives it.
process.on('disconnect', () => process.exit(0));

process.on('message', (message: ParentMessage) => {
  if (message.kind === 'progress') {
    const { lost, late } = outcomes(message.expected);
    process.send?.({ kind: 'progress', missing: lost + late } satisfies WorkerMessage);
    return;
  }
  if (message.kind === 'reset') {
    base = message.base;
    histogram.reset();
    received = 0;
    for (let i = 0; i < trackers.length; i++) trackers[i] = new SeqTracker();
    requestsAtReady = sum((s) => s.requests);
    process.send?.({ kind: 'reset' } satisfies WorkerMessage);
    return;
  }
  const result: WorkerResult = {
    histogram: hdr.encodeIntoCompressedBase64(histogram),
    received,
    delivered: trackers.reduce((n, t) => n + t.distinct, 0),
    ...outcomes(message.expected),
    duplicates:
      trackers.reduce((n, t) => n + t.duplicates, 0) + sum((s) => s.duplicatesDropped ?? 0),
    reconnects: sum((s) => s.reconnects),
    requests: sum((s) => s.requests) - requestsAtReady,
  };
  if (message.kind === 'measure') {
    process.send?.({ kind: 'result', result } satisfies WorkerMessage);
    return;
  }
  subscribers.forEach((s) => s.close());
  process.send?.({ kind: 'result', result } satisfies WorkerMessage, () => process.exit(0));
});
