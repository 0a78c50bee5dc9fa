import { describe, expect, it } from 'vitest';
import { startApi } from '../src/testing/start-api';
import { connections, eventually } from './support/http';
import { connectSocket } from './support/sockets';

async function readAll(response: Response): Promise<string> {
  return response.text();
}

describe('shutdown', () => {
  it('tells every open stream, socket and held request why, then exits', async () => {
    const api = await startApi();
    const head = ((await (await fetch(`${api.url}/api/channels/bye`)).json()) as { head: string })
      .head;
    const sse = fetch(`${api.url}/api/sse/bye`).then(readAll);
    const ndjson = fetch(`${api.url}/api/stream/bye`).then(readAll);
    const longPoll = fetch(`${api.url}/api/long-poll/bye?after=${head}&wait=30`);
    const socket = await connectSocket(api.url);
    await eventually(
      () => connections(api.url),
      (c) =>
        c.streams.sse === 1 &&
        c.streams.streaming === 1 &&
        c.longPollWaiters === 1 &&
        c.streams.websocket === 1,
      'everything to be open',
    );

    await api.stop();

    expect(await sse).toMatch(/event: closing\ndata: \{"code":"shutdown"[^\n]*\n\n$/);
    expect((await ndjson).trim().split('\n').at(-1)).toContain(
      '"kind":"closing","code":"shutdown"',
    );
    expect((await longPoll).status).toBe(204);
    await eventually(
      () => socket.connected,
      (connected) => !connected,
      'the socket to drop',
    );
    expect(socket.closings).toEqual([expect.objectContaining({ code: 'shutdown' })]);
    expect(api.output()).not.toMatch(/Error happened during shutdown|ERROR/);
  });
});
