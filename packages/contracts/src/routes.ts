/**
 * Every HTTP path of the API, built in one place so clients never concatenate URLs by hand.
 * The server mounts the same paths (global prefix `api`).
 */
export const API_PREFIX = 'api';

const segment = encodeURIComponent;

export const paths = {
  health: () => `/${API_PREFIX}/health`,
  connections: () => `/${API_PREFIX}/connections`,
  channel: (channel: string) => `/${API_PREFIX}/channels/${segment(channel)}`,
  publish: (channel: string) => `/${API_PREFIX}/channels/${segment(channel)}/events`,
  poll: (channel: string) => `/${API_PREFIX}/poll/${segment(channel)}`,
  longPoll: (channel: string) => `/${API_PREFIX}/long-poll/${segment(channel)}`,
  sse: (channel: string) => `/${API_PREFIX}/sse/${segment(channel)}`,
  stream: (channel: string) => `/${API_PREFIX}/stream/${segment(channel)}`,
  /** POST with `Authorization: Bearer`: sets the stream-token cookie EventSource then carries. */
  streamCookie: () => `/${API_PREFIX}/stream-cookie`,
  jobs: () => `/${API_PREFIX}/jobs`,
  job: (id: string) => `/${API_PREFIX}/jobs/${segment(id)}`,
} as const;

/** The socket.io namespace of the websocket mechanism. */
export const REALTIME_NAMESPACE = '/realtime';

/** Appends defined query values; `undefined` means "leave it out" (e.g. no cursor yet). */
export function withQuery(
  path: string,
  query: Record<string, string | number | undefined>,
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
