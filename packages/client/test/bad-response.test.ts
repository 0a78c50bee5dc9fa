import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server as SocketServer } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { connect, fetchHead, publish, type Subscription, type WireEntry } from '../src';
import { FAST, observe, until } from './support';

// A server that breaks the contract cannot be the real API: these tiny servers answer each
// mechanism's request with one malformed frame or body, the way a broken proxy or version might.

const running: Array<{ subscription: Subscription; server: Server }> = [];
afterEach(async () => {
  for (const { subscription, server } of running.splice(0)) {
    subscription.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Connects to a server that answers every request with `answer`, and watches the outcome. */
async function connectTo(
  mechanism: 'polling' | 'long-polling' | 'sse' | 'streaming',
  answer: (response: ServerResponse) => void,
) {
  const server = createServer((_request, response) => answer(response));
  return watch(mechanism, server, await listen(server));
}

function watch(mechanism: Parameters<typeof connect>[0], server: Server, baseUrl: string) {
  const subscription = connect(mechanism, { baseUrl, channel: 'demo', ...FAST });
  running.push({ subscription, server });
  const wire: WireEntry[] = [];
  subscription.on('wire', (entry) => wire.push(entry));
  return { subscription, wire, seen: observe(subscription) };
}

async function expectBadResponse({ seen, wire }: ReturnType<typeof watch>) {
  await until(() => seen.errors.length > 0, 'the failure to be reported');
  expect(seen.errors[0]).toBe('bad_response');
  expect(seen.statuses).toContain('backoff'); // a broken answer may be passing: retried, not final
  expect(wire.some((entry) => entry.summary.startsWith('bad_response: Malformed'))).toBe(true);
  expect(seen.events).toHaveLength(0);
}

const page = (body: string) => (response: ServerResponse) =>
  response.writeHead(200, { 'Content-Type': 'application/json' }).end(body);

describe('an answer that breaks the contract is bad_response, never network_error', () => {
  it('polling: a page that is not a page', async () => {
    await expectBadResponse(await connectTo('polling', page('{"events":"none"}')));
  });

  it('long polling: a body that is not JSON', async () => {
    await expectBadResponse(await connectTo('long-polling', page('<html>oops</html>')));
  });

  it('sse: a malformed frame fails the connection instead of vanishing in a listener', async () => {
    const watched = await connectTo('sse', (response) => {
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      response.write('retry: 50\n\nid: 1-1\ndata: {"id":"1-1","ts":"not a number"}\n\n');
    });
    await expectBadResponse(watched);
  });

  it('streaming: an NDJSON line that is not a frame', async () => {
    const watched = await connectTo('streaming', (response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      response.write('{"kind":"event","event":{"id":"1-1"}}\n');
    });
    await expectBadResponse(watched);
  });

  it('websocket: a pushed event that is not a ChannelEvent', async () => {
    const server = createServer();
    const io = new SocketServer(server);
    io.of('/realtime').on('connection', (socket) => {
      socket.on('subscribe', (_request: unknown, ack: (answer: unknown) => void) => {
        ack({ ok: true, events: [], cursor: '0-0' });
        socket.emit('event', { id: 42 });
      });
    });
    const watched = watch('websocket', server, await listen(server));
    try {
      await expectBadResponse(watched);
    } finally {
      io.close();
    }
  });

  it('websocket: a subscribe ack that is not an ack', async () => {
    const server = createServer();
    const io = new SocketServer(server);
    io.of('/realtime').on('connection', (socket) => {
      socket.on('subscribe', (_request: unknown, ack: (answer: unknown) => void) =>
        ack({ ok: true, events: 'none' }),
      );
    });
    const watched = watch('websocket', server, await listen(server));
    try {
      await expectBadResponse(watched);
    } finally {
      io.close();
    }
  });
});

describe('an API answer that breaks its contract schema is bad_response', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  async function answering(status: number, body: string): Promise<string> {
    const server = createServer((_request, response) =>
      response.writeHead(status, { 'Content-Type': 'application/json' }).end(body),
    );
    servers.push(server);
    return listen(server);
  }

  it('publish: a 201 whose body is not a ChannelEvent', async () => {
    const baseUrl = await answering(201, '{"id":1}');
    await expect(publish(baseUrl, 'demo', { type: 'n', data: 1 })).rejects.toMatchObject({
      code: 'bad_response',
    });
  });

  it('fetchHead: a 200 that is not JSON', async () => {
    const baseUrl = await answering(200, 'head: 1-1');
    await expect(fetchHead(baseUrl, 'demo')).rejects.toMatchObject({ code: 'bad_response' });
  });
});
