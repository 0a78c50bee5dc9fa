// A load-generator process: holds `count` subscriptions of one mechanism through
// @pushpull/client and records publish→receive latency into an HDR histogram. Forked by
// run-mechanism.ts; talks to its parent over IPC.
import { connect, type Subscription } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';
import * as hdr from 'hdr-histogram-js';

export interface WorkerJob {
  mechanism: MechanismId;
  baseUrl: string;
  channel: string;
  count: number;
  pollIntervalMs: number;
}

export interface WorkerResult {
  histogram: string;
  received: number;
  duplicates: number;
  /** Per subscription: distinct sequence numbers seen. */
  uniquePerSubscription: number[];
  reconnects: number;
}

export type WorkerMessage = { kind: 'ready' } | { kind: 'result'; result: WorkerResult };

const job = JSON.parse(process.env.BENCH_JOB ?? '{}') as WorkerJob;
const histogram = hdr.build({
  lowestDiscernibleValue: 1,
  highestTrackableValue: 3_600_000,
  numberOfSignificantValueDigits: 3,
});
const seen: Array<Set<number>> = [];
let received = 0;
let duplicates = 0;

const subscriptions: Subscription[] = Array.from({ length: job.count }, (_, index) => {
  const subscription = connect(job.mechanism, {
    baseUrl: job.baseUrl,
    channel: job.channel,
    intervalMs: job.pollIntervalMs,
    backoff: { baseMs: 100, maxMs: 2000 },
  });
  seen[index] = new Set();
  subscription.on('event', (event) => {
    const { seq, sentAt } = event.data as { seq: number; sentAt: number };
    received += 1;
    if (seen[index]!.has(seq)) duplicates += 1;
    seen[index]!.add(seq);
    // From the intended send time, not the actual one: a late publisher cannot hide latency.
    histogram.recordValue(Math.max(1, Date.now() - sentAt));
  });
  return subscription;
});

const ready = setInterval(() => {
  if (subscriptions.every((s) => s.status === 'open')) {
    clearInterval(ready);
    process.send?.({ kind: 'ready' } satisfies WorkerMessage);
  }
}, 50);

process.on('message', (message: { kind: string }) => {
  if (message.kind !== 'stop') return;
  const result: WorkerResult = {
    histogram: hdr.encodeIntoCompressedBase64(histogram),
    received,
    duplicates: duplicates + subscriptions.reduce((sum, s) => sum + s.stats().duplicatesDropped, 0),
    uniquePerSubscription: seen.map((set) => set.size),
    reconnects: subscriptions.reduce((sum, s) => sum + s.stats().reconnects, 0),
  };
  subscriptions.forEach((s) => s.close());
  process.send?.({ kind: 'result', result } satisfies WorkerMessage, () => process.exit(0));
});
