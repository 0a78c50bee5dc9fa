// The lean stream subscribers against a tiny server that cuts frames at awkward places, ends the
// stream mid-way, and checks that the reconnect resumes from the last id the contract's way.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LeanNdjson } from './lean-ndjson';
import { LeanSse } from './lean-sse';
import type { Subscriber } from './types';

const event = (seq: number) => ({
  id: `e-${seq}`,
  channel: 'c',
  type: 'bench',
  data: { seq, sentAt: 1000 + seq, pad: 'xx' },
  ts: 1,
});

/** Writes `text` a few bytes at a time, so frames and lines straddle chunks. */
async function dribble(response: ServerResponse, text: string): Promise<void> {
  for (let at = 0; at < text.length; at += 7) {
    response.write(text.slice(at, at + 7));
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
  assert.ok(done(), 'timed out');
}

async function collect(
  make: (url: string, onStamp: (s: number, t: number) => void) => Subscriber,
  handler: (request: IncomingMessage, response: ServerResponse) => void,
  expected: number,
) {
  const { server, url } = await serve(handler);
  const stamps: Array<[number, number]> = [];
  const subscriber = make(url, (seq, sentAt) => stamps.push([seq, sentAt]));
  try {
    await until(() => stamps.length >= expected);
    return { stamps, subscriber };
  } finally {
    subscriber.close();
    server.closeAllConnections();
    server.close();
  }
}

test('SSE: frames across chunks, comments and control frames skipped, resume with Last-Event-ID', async () => {
  const asked: Array<string | undefined> = [];
  const { stamps, subscriber } = await collect(
    (url, onStamp) =>
      new LeanSse({ wire: 'sse', url: `${url}/sse`, channel: 'c' }, onStamp).start(),
    (request, response) => {
      const lastId = request.headers['last-event-id'] as string | undefined;
      asked.push(lastId);
      response.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const frame = (seq: number) => `id: e-${seq}\ndata: ${JSON.stringify(event(seq))}\n\n`;
      if (lastId === undefined)
        void dribble(
          response,
          `retry: 1000\n\n: ping\n\n${frame(0)}${frame(1)}event: closing\ndata: {"code":"shutdown"}\n\n`,
        ).then(() => response.end());
      else void dribble(response, frame(2));
    },
    3,
  );
  assert.deepEqual(stamps, [
    [0, 1000],
    [1, 1001],
    [2, 1002],
  ]);
  assert.deepEqual(asked, [undefined, 'e-1']);
  assert.equal(subscriber.reconnects, 1);
});

test('NDJSON: lines across chunks, a reset moves the cursor, resume with after', async () => {
  const asked: Array<string | null> = [];
  const { stamps } = await collect(
    (url, onStamp) =>
      new LeanNdjson({ wire: 'ndjson', url: `${url}/stream/c`, channel: 'c' }, onStamp).start(),
    (request, response) => {
      const after = new URL(request.url!, 'http://x').searchParams.get('after');
      asked.push(after);
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' });
      const line = (value: unknown) => `${JSON.stringify(value)}\n`;
      if (after === null)
        void dribble(
          response,
          line({ kind: 'event', event: event(0) }) +
            line({ kind: 'heartbeat', ts: 1 }) +
            line({ kind: 'reset', cursor: 'r-9' }),
        ).then(() => response.end());
      else void dribble(response, line({ kind: 'event', event: event(1) }));
    },
    2,
  );
  assert.deepEqual(stamps, [
    [0, 1000],
    [1, 1001],
  ]);
  assert.deepEqual(asked, [null, 'r-9']);
});
