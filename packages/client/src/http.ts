import { ClientError } from './errors';
import type { WireEntry } from './types';

export interface HttpAnswer {
  status: number;
  headers: Headers;
  text: string;
  bytes: number;
}

const encoder = new TextEncoder();

/**
 * One request, measured for the wire log: status, body bytes and time. Network failures become
 * `ClientError('network_error')`; an abort propagates as is so callers can tell it apart.
 */
export async function request(
  fetchImpl: typeof fetch,
  url: string,
  init: RequestInit,
  record: (entry: WireEntry) => void,
): Promise<HttpAnswer> {
  const started = Date.now();
  const method = init.method ?? 'GET';
  const summary = `${method} ${new URL(url).pathname}${new URL(url).search}`;
  let response: Response;
  let text: string;
  try {
    response = await fetchImpl(url, init);
    text = await response.text();
  } catch (error) {
    if (init.signal?.aborted) throw error;
    record({
      at: Date.now(),
      direction: 'out',
      summary: `${summary} → network error`,
      ms: Date.now() - started,
    });
    throw new ClientError(
      'network_error',
      `Could not reach ${new URL(url).origin}: ${String(error)}`,
    );
  }
  const bytes = encoder.encode(text).byteLength;
  record({
    at: Date.now(),
    direction: 'out',
    summary,
    status: response.status,
    bytes,
    ms: Date.now() - started,
  });
  return { status: response.status, headers: response.headers, text, bytes };
}

export function authHeaders(token: string | undefined): Record<string, string> {
  return token ? { Authorization: `Bearer ${token}` } : {};
}
