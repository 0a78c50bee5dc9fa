import type { ChannelAction } from '@pushpull/contracts';

/** Every HTTP route that touches a channel, called the way a client would, answered in full. */
export interface Operation {
  name: string;
  action: ChannelAction;
  method: 'GET' | 'POST';
  url(baseUrl: string, channel: string): string;
  body?(channel: string): unknown;
  /** The statuses a permitted call answers. */
  ok: number[];
}

export const OPERATIONS: Operation[] = [
  {
    name: 'publish',
    action: 'publish',
    method: 'POST',
    url: (base, channel) => `${base}/api/channels/${channel}/events`,
    body: () => ({ type: 'n', data: 1 }),
    ok: [201],
  },
  {
    name: 'head',
    action: 'subscribe',
    method: 'GET',
    url: (base, channel) => `${base}/api/channels/${channel}`,
    ok: [200],
  },
  {
    name: 'poll',
    action: 'subscribe',
    method: 'GET',
    url: (base, channel) => `${base}/api/poll/${channel}`,
    ok: [200],
  },
  {
    name: 'long-poll',
    action: 'subscribe',
    method: 'GET',
    // wait=0: answered at once (200, or 204 when there is nothing) so the matrix never waits.
    url: (base, channel) => `${base}/api/long-poll/${channel}?wait=0`,
    ok: [200, 204],
  },
  {
    name: 'sse',
    action: 'subscribe',
    method: 'GET',
    url: (base, channel) => `${base}/api/sse/${channel}`,
    ok: [200],
  },
  {
    name: 'stream',
    action: 'subscribe',
    method: 'GET',
    url: (base, channel) => `${base}/api/stream/${channel}`,
    ok: [200],
  },
  {
    name: 'relay job',
    action: 'publish',
    method: 'POST',
    url: (base) => `${base}/api/jobs`,
    body: (channel) => ({ type: 'relay', input: { channel, type: 'n', data: 1 } }),
    ok: [202],
  },
];

export interface Answer {
  status: number;
  headers: Headers;
  /** Parsed JSON for non-stream answers (streams are left unread and aborted). */
  json: unknown;
}

export interface Credentials {
  bearer?: string;
  cookie?: string;
  /** Appended as `?token=` (or `&token=`): must be ignored. */
  queryToken?: string;
}

export async function call(
  operation: Operation,
  baseUrl: string,
  channel: string,
  credentials: Credentials = {},
): Promise<Answer> {
  let url = operation.url(baseUrl, channel);
  if (credentials.queryToken)
    url += `${url.includes('?') ? '&' : '?'}token=${credentials.queryToken}`;
  const headers: Record<string, string> = {};
  if (credentials.bearer) headers.Authorization = `Bearer ${credentials.bearer}`;
  if (credentials.cookie) headers.Cookie = `pushpull_token=${credentials.cookie}`;
  if (operation.body) headers['Content-Type'] = 'application/json';
  const controller = new AbortController();
  const response = await fetch(url, {
    method: operation.method,
    headers,
    signal: controller.signal,
    ...(operation.body && { body: JSON.stringify(operation.body(channel)) }),
  });
  const streaming = /event-stream|ndjson/.test(response.headers.get('content-type') ?? '');
  let json: unknown;
  if (streaming) controller.abort();
  else {
    const text = await response.text();
    json = text ? JSON.parse(text) : undefined;
  }
  return { status: response.status, headers: response.headers, json };
}
