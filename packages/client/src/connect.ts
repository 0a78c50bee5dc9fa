import { MECHANISMS, type MechanismId } from '@pushpull/contracts';
import { ClientError } from './errors';
import { LongPollingSubscription } from './long-polling';
import { MessageQueueSubscription } from './message-queue';
import { PollingSubscription } from './polling';
import { SseSubscription } from './sse';
import { StreamingSubscription } from './streaming';
import { WebSocketSubscription } from './websocket';
import type { ConnectOptions, Subscription } from './types';

const FACTORIES: Partial<Record<MechanismId, (options: ConnectOptions) => Subscription>> = {
  polling: (options) => new PollingSubscription(options),
  'long-polling': (options) => new LongPollingSubscription(options),
  sse: (options) => new SseSubscription(options),
  streaming: (options) => new StreamingSubscription(options),
  websocket: (options) => new WebSocketSubscription(options),
  'message-queue': (options) => new MessageQueueSubscription(options),
};

/** Mechanisms this client can connect with today. */
export function isSupported(mechanism: MechanismId): boolean {
  return FACTORIES[mechanism] !== undefined;
}

/**
 * Opens a subscription to `channel` over `mechanism`. Every mechanism answers the same interface:
 * `event`, `status` and `wire` listeners, `stats()`, `setOffline()` and `close()`.
 */
export function connect(mechanism: MechanismId, options: ConnectOptions): Subscription {
  const factory = FACTORIES[mechanism];
  if (!factory) {
    throw new ClientError(
      'unsupported_mechanism',
      `${MECHANISMS[mechanism]?.title ?? mechanism} is not built yet`,
    );
  }
  return factory(options);
}
