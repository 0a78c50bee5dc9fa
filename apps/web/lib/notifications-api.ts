// What the notifications page asks of its own web server (same origin: the session cookie goes
// along by itself). The API is reached only through these, or with the tokens they hand out.
import { ClientError } from '@pushpull/client';
import { ChannelEventSchema, type ChannelEvent } from '@pushpull/contracts';
import { NOTIFICATIONS_PATH, type SendNotification } from './notifications';

/** One call to a demo route: its body as text, or its contract error as a ClientError. */
async function callDemoRoute(path: string, init: RequestInit = {}): Promise<string> {
  const response = await fetch(`${NOTIFICATIONS_PATH}${path}`, { ...init, cache: 'no-store' });
  const text = await response.text();
  if (!response.ok) throw ClientError.fromResponse(response.status, text);
  return text;
}

const tokenSources = new Map<number, () => Promise<string>>();

/**
 * The page's `getToken`: a fresh stream token for the session's user, lasting `ttlS` seconds. One
 * function per lifetime, so its identity is stable and a re-render does not restart the stream.
 */
export function demoTokenSource(ttlS: number): () => Promise<string> {
  let source = tokenSources.get(ttlS);
  if (!source) {
    source = () => callDemoRoute(`/token?ttl=${ttlS}`);
    tokenSources.set(ttlS, source);
  }
  return source;
}

/** Sends through the web server, which publishes with a token the browser never sees. */
export async function sendNotification(body: SendNotification): Promise<ChannelEvent> {
  const answer = await callDemoRoute('/send', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  return ChannelEventSchema.parse(JSON.parse(answer));
}
