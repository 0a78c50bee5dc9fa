import type { IncomingMessage } from 'node:http';
import type { ChannelEvent, PublishBody } from '@pushpull/contracts';

/** The API's publish path: the Node peers take publishes where the API does. */
export const PUBLISH_PATH = /^\/api\/channels\/([^/?]+)\/events$/;

/** The channel a POST to the publish path names, or undefined for any other request. */
export function publishedChannel(request: IncomingMessage): string | undefined {
  const match = request.method === 'POST' && PUBLISH_PATH.exec(request.url ?? '');
  return match ? decodeURIComponent(match[1]!) : undefined;
}

let seq = 0;

/**
 * Reads a publish and wraps it as the API would: an ordered id, the channel and the server's time.
 * Not validated — a peer does only what its wire needs.
 */
export async function readEvent(request: IncomingMessage, channel: string): Promise<ChannelEvent> {
  let body = '';
  for await (const chunk of request) body += String(chunk);
  return { id: String(++seq), channel, ...(JSON.parse(body) as PublishBody), ts: Date.now() };
}

/** The last id handed out: a subscribe's cursor. */
export const lastId = () => String(seq);
