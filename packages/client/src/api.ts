import { paths, type ChannelEvent, type ChannelHead, type PublishBody } from '@pushpull/contracts';
import { ClientError } from './errors';
import { authHeaders } from './http';

export interface ApiCallOptions {
  token?: string;
  fetch?: typeof fetch;
}

async function callJson<T>(url: string, init: RequestInit, options: ApiCallOptions): Promise<T> {
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      ...init,
      headers: { ...init.headers, ...authHeaders(options.token) },
    });
  } catch (error) {
    throw new ClientError(
      'network_error',
      `Could not reach ${new URL(url).origin}: ${String(error)}`,
    );
  }
  const text = await response.text();
  if (!response.ok) throw ClientError.fromResponse(response.status, text);
  return JSON.parse(text) as T;
}

/** Publishes one event; resolves with it as stored (id, ts), or rejects with a ClientError. */
export function publish(
  baseUrl: string,
  channel: string,
  body: PublishBody,
  options: ApiCallOptions = {},
): Promise<ChannelEvent> {
  return callJson(
    baseUrl + paths.publish(channel),
    { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) },
    options,
  );
}

/** The channel's current head: subscribe `after` it to receive only what comes next. */
export function fetchHead(
  baseUrl: string,
  channel: string,
  options: ApiCallOptions = {},
): Promise<ChannelHead> {
  return callJson(baseUrl + paths.channel(channel), { method: 'GET' }, options);
}
