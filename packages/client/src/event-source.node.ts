// Node 20 has no EventSource: use the `eventsource` package (a spec-following implementation).
// Bundlers for the browser swap this file for event-source.browser.ts (package.json "browser").
import { EventSource as EventSourcePolyfill } from 'eventsource';

export const EventSourceImpl: typeof EventSource =
  globalThis.EventSource ?? (EventSourcePolyfill as unknown as typeof EventSource);
