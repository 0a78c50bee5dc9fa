import http, { type ClientRequest, type IncomingMessage } from 'node:http';

/**
 * One keep-alive agent per load process, without a socket cap: pull subscribers reuse their
 * connection from request to request, and each stream holds one of its own.
 */
export const agent = new http.Agent({
  keepAlive: true,
  maxSockets: Infinity,
  maxFreeSockets: 65_536,
});

/** A GET whose body arrives as strings; the caller reads the status and the chunks. */
export function get(
  url: string,
  headers: Record<string, string>,
  onResponse: (response: IncomingMessage) => void,
  onError: () => void,
): ClientRequest {
  const request = http.get(url, { agent, headers }, (response) => {
    response.setEncoding('utf8');
    onResponse(response);
  });
  request.on('error', onError);
  return request;
}

/** Reads a whole (small) answer body: a pull page. */
export function readBody(response: IncomingMessage, onBody: (body: string) => void): void {
  let body = '';
  response.on('data', (chunk: string) => (body += chunk));
  response.on('end', () => onBody(body));
}

/** `url` with `params` added to its query (values left out when undefined). */
export function withQuery(url: string, params: Record<string, string | undefined>): string {
  const parsed = new URL(url);
  for (const [key, value] of Object.entries(params))
    if (value !== undefined) parsed.searchParams.set(key, value);
  return parsed.toString();
}
