// Message queue: the browser submits a job once (`submitJob`), workers run it, and its progress comes
// back as events on `job:<id>`. This subscription follows that channel over SSE, the default push wire.
import { SseSubscription } from './sse';

/**
 * SSE underneath, reported as `message-queue`: the wire log and counters show the EventSource,
 * while the page and the stats name the mechanism the user chose. (The field is set after SSE's
 * constructor runs; nothing reads it before the first tick.)
 */
export class MessageQueueSubscription extends SseSubscription {
  override readonly mechanism = 'message-queue' as const;
}
