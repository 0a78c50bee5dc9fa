// Message queue: the browser submits a job once (`submitJob`), workers run it, and its progress comes
// back as events on `job:<id>`. This subscription follows that channel over SSE, the default push wire.
import { SseSubscription } from './sse';
import type { ConnectOptions } from './types';

/** SSE underneath, reported as `message-queue`, so the page and the stats name the user's choice. */
export class MessageQueueSubscription extends SseSubscription {
  constructor(options: ConnectOptions) {
    super(options, 'message-queue');
  }
}
