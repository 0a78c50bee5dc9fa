// Peer: better-sse, what a Node user picks for SSE — one better-sse Channel per pushpull channel,
// each publish broadcast to its sessions. The library's defaults otherwise (its 2 s `retry:` and
// 10 s keep-alive comment): no log, no resume from Last-Event-ID, no backpressure.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { publishedChannel, readEvent } from './publish-request';

// The API's path, so the same subscriber (pushpull's SSE client or a lean one) reads both.
const SSE_PATH = /^\/api\/sse\/([^/?]+)/;

async function main(): Promise<void> {
  // better-sse's typings are ESM-only (its `types` condition comes first), so this CommonJS build
  // imports it dynamically; at run time Node loads its ESM entry.
  const { createChannel, createSession } = await import('better-sse');
  const channels = new Map<string, ReturnType<typeof createChannel>>();
  const channelOf = (name: string) =>
    channels.get(name) ?? channels.set(name, createChannel()).get(name)!;

  const server = createServer((request, response) => {
    const sse = request.method === 'GET' && SSE_PATH.exec(request.url ?? '');
    if (sse) {
      void createSession(request, response).then((session) =>
        channelOf(decodeURIComponent(sse[1]!)).register(session),
      );
      return;
    }
    const channel = publishedChannel(request);
    if (channel === undefined) {
      response.writeHead(404).end();
      return;
    }
    void readEvent(request, channel).then((event) => {
      // The API's frame (`id:` and the whole event as JSON) plus better-sse's own `event: message`
      // line; the id is ours, so it is ordered, instead of the library's random UUID. better-sse
      // serializes the event once per session: that is the library's cost, left as it is.
      channelOf(channel).broadcast(event, 'message', { eventId: event.id });
      response.writeHead(201, { 'Content-Type': 'application/json' }).end(JSON.stringify(event));
    });
  });

  server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
    console.error(`listening on ${(server.address() as AddressInfo).port}`);
  });
}

void main();
