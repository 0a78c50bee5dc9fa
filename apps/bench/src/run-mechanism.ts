import { startApi, startWorker, type RunningApi } from '@pushpull/api/testing';
import { paths, type MechanismId } from '@pushpull/contracts';
import { deleteBullQueues, deleteRabbitQueues } from '@pushpull/jobs';
import type { Pinning } from './load-workers';
import { childPids } from './proc-stats';
import type { MechanismResult, QueueDriverName, SubscriberKind } from './result';
import { measureRun, type ServerRow } from './run-load';
import type { Scenario } from './scenarios';
import type { SubscriberSpec, Target } from './subscribers/types';

/** The lean subscriber's wire and URL for each of pushpull's mechanisms. */
export function apiTarget(mechanism: MechanismId, baseUrl: string, channel: string): Target {
  switch (mechanism) {
    case 'polling':
      return { wire: 'polling', url: baseUrl + paths.poll(channel), channel };
    case 'long-polling':
      return { wire: 'long-polling', url: baseUrl + paths.longPoll(channel), channel };
    case 'streaming':
      return { wire: 'ndjson', url: baseUrl + paths.stream(channel), channel };
    case 'websocket':
      return { wire: 'socket.io', url: baseUrl, channel };
    // The message queue's events reach the browser over SSE.
    case 'sse':
    case 'message-queue':
      return { wire: 'sse', url: baseUrl + paths.sse(channel), channel };
  }
}

/**
 * One row against a fresh API: lean subscribers (the server's figures), or pushpull's own client
 * (`kind: 'pushpull-client'`: what the client costs, on a smaller count).
 */
export async function runMechanism(
  mechanism: MechanismId,
  scenario: Scenario,
  pinning: Pinning,
  queue: QueueDriverName = 'memory',
  kind: SubscriberKind = 'lean',
): Promise<MechanismResult> {
  const subscribers =
    kind === 'lean' ? scenario.subscribers[mechanism] : scenario.clientSubscribers[mechanism];
  const { api, pid, stop } = await startServer(queue, pinning);
  try {
    return await measureRun(
      apiServerRow(mechanism, api.url, pid, subscribers, kind),
      scenario,
      pinning,
    );
  } finally {
    await stop();
  }
}

/** The API (already started, main process `pid`) as a server row for one mechanism. */
export function apiServerRow(
  mechanism: MechanismId,
  baseUrl: string,
  pid: number,
  subscribers: number,
  kind: SubscriberKind = 'lean',
): ServerRow {
  const channel = `bench-${mechanism}`;
  const subscriber: SubscriberSpec =
    kind === 'lean'
      ? { client: 'lean', target: apiTarget(mechanism, baseUrl, channel) }
      : { client: 'pushpull', mechanism, baseUrl, channel };
  return {
    label: mechanism,
    subscriber,
    subscribers,
    publish: { via: mechanism === 'message-queue' ? 'job' : 'api', baseUrl, channel },
    serverPids: [pid],
    metrics: { baseUrl, bytesOf: mechanism === 'message-queue' ? 'sse' : mechanism },
  };
}

/**
 * The API alone (memory queue), or the API plus two worker processes on a broker, all pinned to
 * the server core; broker queues get a prefix of their own and are deleted afterwards.
 */
export async function startServer(queue: QueueDriverName, pinning: Pinning) {
  const prefix = `bench-${process.pid}-${Date.now().toString(36)}`;
  const env: Record<string, string> = {
    HISTORY_SIZE: '100000',
    LONG_POLL_MAX_WAIT_S: '30',
    SLOW_READER_MAX_BYTES: String(64 * 1024 * 1024),
    NO_COLOR: '1',
    QUEUE: queue,
    QUEUE_PREFIX: prefix,
    WORKER_CONCURRENCY: '8',
    STALLED_INTERVAL_MS: '5000',
    // One client on loopback measuring the mechanisms, not the limits (docs/limits.md).
    WRITE_RATE_PER_S: '0',
    MAX_CONNECTIONS_PER_IP: '0',
  };
  const api: RunningApi = await startApi(env, { wrap: pinning.api });
  const [pid] = childPids(process.pid, API_MAIN);
  if (pid === undefined) throw new Error('the API process is not among the bench’s children');
  const workers =
    queue === 'memory'
      ? []
      : await Promise.all([
          startWorker(env, undefined, pinning.api),
          startWorker(env, undefined, pinning.api),
        ]);
  return {
    api,
    pid,
    stop: async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await api.stop();
      if (queue === 'rabbitmq') await deleteRabbitQueues(AMQP_URL, prefix, []);
      if (queue === 'bullmq') await deleteBullQueues(REDIS_URL, prefix);
    },
  };
}

/** How the API's process is found among the bench's children (its build's entry point). */
const API_MAIN = 'api/dist/main.js';
const AMQP_URL = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
