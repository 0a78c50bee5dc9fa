// A load-generator process: holds `count` subscriptions of one mechanism through
// @pushpull/client and records publish→receive latency into an HDR histogram. Forked by
// run-mechanism.ts; talks to its parent over IPC.
import { connect, EMPTY_STATS, type Subscription } from '@pushpull/client';
import type { MechanismId } from '@pushpull/contracts';
import { EventSource } from 'eventsource';
import * as hdr from 'hdr-histogram-js';
import { WebSocket } from 'ws';

export interface WorkerJob {
  /** A mechanism through @pushpull/client (also against a baseline server), or a raw client. */
  mechanism: MechanismId | 'raw-sse' | 'raw-ws';
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
  /** Requests the subscriptions made once all were open (pull mechanisms ask again and again). */
  requests: number;
  /** This process's CPU time from "all open" to "stop": is the load core the limit? */
  cpuSeconds: number;
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

type Listener = (event: { data: unknown }) => void;

/** Baselines get the plainest client there is for their protocol: no resume, no dedupe. */
function rawSubscription(onEvent: Listener): Subscription {
  let status: Subscription['status'] = 'connecting';
  const open = () => (status = 'open');
  const parse = (text: string) => onEvent(JSON.parse(text) as { data: unknown });
  let close: () => void;
  if (job.mechanism === 'raw-ws') {
    const socket = new WebSocket(job.baseUrl.replace('http', 'ws'));
    socket.on('open', open);
    socket.on('message', (raw) => parse(String(raw)));
    close = () => socket.close();
  } else {
    const source = new EventSource(`${job.baseUrl}/sse`);
    source.onopen = open;
    source.onmessage = (message) => parse(message.data as string);
    close = () => source.close();
  }
  const stats = { ...EMPTY_STATS, requests: 1 };
  return {
    mechanism: 'sse',
    channel: job.channel,
    get status() {
      return status;
    },
    cursor: undefined,
    on: () => () => undefined,
    stats: () => stats,
    setOffline: () => undefined,
    close: () => close(),
  };
}

const subscriptions: Subscription[] = Array.from({ length: job.count }, (_, index) => {
  seen[index] = new Set();
  const onEvent: Listener = (event) => {
    const { seq, sentAt } = event.data as { seq: number; sentAt: number };
    received += 1;
    if (seen[index]!.has(seq)) duplicates += 1;
    seen[index]!.add(seq);
    // From the intended send time, not the actual one: a late publisher cannot hide latency.
    histogram.recordValue(Math.max(1, Date.now() - sentAt));
  };
  if (job.mechanism === 'raw-sse' || job.mechanism === 'raw-ws') return rawSubscription(onEvent);
  const subscription = connect(job.mechanism, {
    baseUrl: job.baseUrl,
    channel: job.channel,
    intervalMs: job.pollIntervalMs,
    backoff: { baseMs: 100, maxMs: 2000 },
  });
  subscription.on('event', onEvent);
  return subscription;
});

const totalRequests = () => subscriptions.reduce((sum, s) => sum + s.stats().requests, 0);
let atReady = { requests: 0, cpu: process.cpuUsage() };
const ready = setInterval(() => {
  if (subscriptions.every((s) => s.status === 'open')) {
    clearInterval(ready);
    atReady = { requests: totalRequests(), cpu: process.cpuUsage() };
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
    requests: totalRequests() - atReady.requests,
    cpuSeconds: (({ user, system }) => (user + system) / 1e6)(process.cpuUsage(atReady.cpu)),
  };
  subscriptions.forEach((s) => s.close());
  process.send?.({ kind: 'result', result } satisfies WorkerMessage, () => process.exit(0));
});
