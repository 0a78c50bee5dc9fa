// Node 20 has no EventSource: use the `eventsource` package (a spec-following implementation).
// Bundlers for the browser swap this file for event-source.browser.ts (package.json "browser").
import { EventSource as EventSourcePolyfill } from 'eventsource';
import { authHeaders } from './http';

export const EventSourceImpl: typeof EventSource =
  globalThis.EventSource ?? (EventSourcePolyfill as unknown as typeof EventSource);

/**
 * Opens an EventSource on `url`. With a stream token, the polyfill's own `fetch` option sends it as
 * `Authorization: Bearer` — outside a browser there is no cookie jar, and no need for one.
 */
export async function openEventSource(
  url: string,
  token: string | undefined,
  fetchImpl: typeof fetch,
): Promise<EventSource> {
  if (!token) return new EventSourceImpl(url);
  return new EventSourcePolyfill(url, {
    fetch: (input, init) =>
      fetchImpl(input, { ...init, headers: { ...init.headers, ...authHeaders(token) } }),
  }) as unknown as EventSource;
}
