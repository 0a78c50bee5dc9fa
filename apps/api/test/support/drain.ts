import { PageSchema, type ChannelEvent } from '@pushpull/contracts';
import { request as httpRequest } from 'node:http';

/** A refused or reset connection: the request never reached the server (see docs/decisions.md). */
export const NEVER_REACHED = new Set(['ECONNREFUSED', 'ECONNRESET']);

/**
 * One publish on its own connection (no keep-alive, so a drain's idle sweep cannot close it under
 * the next request): the answer's status, or the error's code.
 */
export function publishOnce(
  baseUrl: string,
  channel: string,
  data: string,
): Promise<number | string> {
  return new Promise((resolve) => {
    const body = JSON.stringify({ type: 'n', data });
    const request = httpRequest(
      `${baseUrl}/api/channels/${channel}/events`,
      {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode!));
      },
    );
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end(body);
  });
}

/** One GET on its own connection: the status, or the error's code. */
export function getOnce(url: string): Promise<number | string> {
  return new Promise((resolve) => {
    const request = httpRequest(url, { agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    request.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    request.end();
  });
}

/** The whole stored log of `channel`, page by page. */
export async function readLog(baseUrl: string, channel: string): Promise<ChannelEvent[]> {
  const events: ChannelEvent[] = [];
  let after = '';
  for (;;) {
    const response = await fetch(`${baseUrl}/api/poll/${channel}?limit=1000&after=${after}`);
    const page = PageSchema.parse(await response.json());
    events.push(...page.events);
    if (page.events.length === 0) return events;
    after = page.cursor;
  }
}

/** True once the API's listener refuses connections. */
export const isRefused = async (baseUrl: string) =>
  fetch(`${baseUrl}/api/health`).then(
    () => false,
    () => true,
  );
