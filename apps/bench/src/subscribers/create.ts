import { connect, type Subscription } from '@pushpull/client';
import { LeanLongPolling } from './lean-long-polling';
import { LeanNchanLongPoll } from './lean-nchan-long-poll';
import { LeanNdjson } from './lean-ndjson';
import { LeanPolling } from './lean-polling';
import { LeanSocketIo } from './lean-socketio';
import { LeanSse } from './lean-sse';
import { LeanWs } from './lean-ws';
import type { LeanOptions, OnStamp, Subscriber, SubscriberSpec, Target, Wire } from './types';

const LEAN: Record<Wire, (target: Target, onStamp: OnStamp, options: LeanOptions) => Subscriber> = {
  polling: (target, onStamp, options) => new LeanPolling(target, onStamp, options).start(),
  'long-polling': (target, onStamp) => new LeanLongPolling(target, onStamp).start(),
  sse: (target, onStamp) => new LeanSse(target, onStamp).start(),
  ndjson: (target, onStamp) => new LeanNdjson(target, onStamp).start(),
  'socket.io': (target, onStamp) => new LeanSocketIo(target, onStamp).start(),
  ws: (target, onStamp) => new LeanWs(target, onStamp).start(),
  'nchan-long-poll': (target, onStamp) => new LeanNchanLongPoll(target, onStamp).start(),
};

/** pushpull's own client, counted like a lean one (its own dedupe hides repeats: they show in stats). */
function pushpullSubscriber(
  spec: Extract<SubscriberSpec, { client: 'pushpull' }>,
  onStamp: OnStamp,
  options: LeanOptions,
): Subscriber {
  const subscription: Subscription = connect(spec.mechanism, {
    baseUrl: spec.baseUrl,
    channel: spec.channel,
    intervalMs: options.pollIntervalMs,
    backoff: { baseMs: 100, maxMs: 2000 },
  });
  subscription.on('event', (event) => {
    const { seq, sentAt } = event.data as { seq: number; sentAt: number };
    onStamp(seq, sentAt);
  });
  return {
    get open() {
      return subscription.status === 'open';
    },
    get requests() {
      return subscription.stats().requests;
    },
    get reconnects() {
      return subscription.stats().reconnects;
    },
    get duplicatesDropped() {
      return subscription.stats().duplicatesDropped;
    },
    close: () => subscription.close(),
  };
}

export function createSubscriber(
  spec: SubscriberSpec,
  onStamp: OnStamp,
  options: LeanOptions,
): Subscriber {
  return spec.client === 'lean'
    ? LEAN[spec.target.wire](spec.target, onStamp, options)
    : pushpullSubscriber(spec, onStamp, options);
}
