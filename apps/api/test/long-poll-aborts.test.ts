import { once } from 'node:events';
import { createConnection } from 'node:net';
import { afterAll, describe, it } from 'vitest';
import { deleteBackplaneKeys, startApi } from '../src/testing/start-api';
import { connections, eventually, range } from './support/http';
import { REDIS_URL } from './support/servers';

// A client that leaves while its long poll does the first read (on Redis, a round trip) used to be
// registered as a waiter anyway: its `close` had already fired, so nothing ever freed it until the
// wait ran out. Here thousands leave at that moment and none may stay held.
const ABORTED = 3000;
const AT_ONCE = 200;

/** Sends one long poll on a raw connection and drops the connection as soon as it is written. */
async function sendAndLeave(port: number, path: string): Promise<void> {
  const socket = createConnection(port, '127.0.0.1');
  await once(socket, 'connect');
  const request = `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`;
  await new Promise<void>((resolve) => socket.write(request, () => resolve()));
  socket.destroy();
}

const prefix = `test-lp-aborts-${process.pid}-${Date.now().toString(36)}`;
afterAll(() => deleteBackplaneKeys(REDIS_URL, prefix));

describe.each([
  ['memory', {}],
  ['redis', { BACKPLANE: 'redis', BACKPLANE_PREFIX: prefix, REDIS_URL }],
] as const)('long polls aborted right after sending, BACKPLANE=%s', (_name, backplane) => {
  it(`leaves no waiter behind (${ABORTED} clients)`, async () => {
    const api = await startApi({
      ...backplane,
      MAX_CONNECTIONS_PER_IP: '0',
      LONG_POLL_MAX_WAIT_S: '60',
    });
    try {
      const head = (
        (await (await fetch(`${api.url}/api/channels/lp-gone`)).json()) as {
          head: string;
        }
      ).head;
      const path = `/api/long-poll/lp-gone?after=${head}&wait=60`;
      for (let sent = 0; sent < ABORTED; sent += AT_ONCE)
        await Promise.all(range(1, AT_ONCE).map(() => sendAndLeave(api.port, path)));

      await eventually(
        () => connections(api.url),
        (c) => c.longPollWaiters === 0,
        'every aborted long poll to be let go',
      );
    } finally {
      await api.stop();
    }
  });
});
