// In a browser, the browser's own EventSource: nothing to bundle.
import { paths } from '@pushpull/contracts';
import { ClientError } from './errors';
import { authHeaders } from './http';

export const EventSourceImpl: typeof EventSource = globalThis.EventSource;

/**
 * Opens an EventSource on `url`. A browser's EventSource cannot send headers, so a stream token
 * goes first to `POST /api/stream-cookie` (as a Bearer header), which sets it as the API's
 * HttpOnly `pushpull_token` cookie; the EventSource then sends that cookie (`withCredentials`).
 * Never `?token=`: URLs end up in logs, history and Referer.
 */
export async function openEventSource(
  url: string,
  token: string | undefined,
  fetchImpl: typeof fetch,
): Promise<EventSource> {
  if (!token) return new EventSource(url);
  const response = await fetchImpl(new URL(url).origin + paths.streamCookie(), {
    method: 'POST',
    headers: authHeaders(token),
    credentials: 'include',
  });
  if (!response.ok) throw ClientError.fromResponse(response.status, await response.text());
  return new EventSource(url, { withCredentials: true });
}
