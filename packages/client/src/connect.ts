import type { MechanismId } from '@pushpull/contracts';
import { LongPollingSubscription } from './long-polling';
import { MessageQueueSubscription } from './message-queue';
import { PollingSubscription } from './polling';
import { SseSubscription } from './sse';
import { StreamingSubscription } from './streaming';
import { WebSocketSubscription } from './websocket';
import type { ConnectOptions, Subscription } from './types';

/** One factory per mechanism: the `Record` makes a missing one a type error, not a runtime one. */
const FACTORIES: Record<MechanismId, (options: ConnectOptions) => Subscription> = {
  polling: (options) => new PollingSubscription(options),
  'long-polling': (options) => new LongPollingSubscription(options),
  sse: (options) => new SseSubscription(options),
  streaming: (options) => new StreamingSubscription(options),
  websocket: (options) => new WebSocketSubscription(options),
  'message-queue': (options) => new MessageQueueSubscription(options),
};

/**
 * Opens a subscription to `channel` over `mechanism`. Every mechanism answers the same interface:
 * `event`, `status` and `wire` listeners, `stats()`, `setOffline()` and `close()`.
 */
export function connect(mechanism: MechanismId, options: ConnectOptions): Subscription {
  return FACTORIES[mechanism](options);
}
