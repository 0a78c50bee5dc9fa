import { once } from 'node:events';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';
import { listenerQuiet, refuseNewRequests } from '../src/refuse-new-requests';

const config = loadConfig({ CORS_ORIGINS: 'http://web.test' });

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(server: Server, path: string, options: { method?: string; body?: string } = {}) {
  const { port } = server.address() as AddressInfo;
  return new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      {
        port,
        path,
        method: options.method ?? 'GET',
        agent: false,
        headers: { Origin: 'http://web.test' },
      },
      (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () =>
          resolve({ status: response.statusCode!, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

let server: Server;
afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function listen(handler: Parameters<typeof createServer>[1]): Promise<Server> {
  server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

describe('refuseNewRequests', () => {
  it('answers what arrives after it 503 unavailable, and lets what arrived before finish', async () => {
    let finishHeld!: () => void;
    await listen((request, response) => {
      if (request.url === '/held') finishHeld = () => response.end('held answered');
      else response.end(`app answered ${request.url}`);
    });
    const held = send(server, '/held');
    await new Promise((resolve) => setTimeout(resolve, 50)); // received by the app

    refuseNewRequests(server, config);
    const refused = await send(server, '/api/channels/c/events', {
      method: 'POST',
      body: '{"a":1}',
    });
    expect(refused.status).toBe(503);
    expect(refused.headers.connection).toBe('close');
    expect(refused.headers['access-control-allow-origin']).toBe('http://web.test');
    expect(JSON.parse(refused.body)).toEqual({
      error: { code: 'unavailable', message: expect.stringContaining('took nothing') },
    });
    // The probes still reach the app: alive, and saying it is not ready.
    expect((await send(server, '/api/ready')).body).toBe('app answered /api/ready');
    expect((await send(server, '/api/health?x=1')).body).toBe('app answered /api/health?x=1');

    finishHeld();
    expect((await held).body).toBe('held answered');
  });

  it('answers a WebSocket upgrade 503 too', async () => {
    await listen((_request, response) => response.end());
    server.on('upgrade', (_request, socket) =>
      socket.end('HTTP/1.1 101 Switching Protocols\r\n\r\n'),
    );
    refuseNewRequests(server, config);
    const { port } = server.address() as AddressInfo;
    const upgraded = await new Promise<number>((resolve, reject) => {
      const request = httpRequest({
        port,
        path: '/socket.io/?EIO=4&transport=websocket',
        headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
      });
      request.on('response', (response) => resolve(response.statusCode!));
      request.on('upgrade', () => resolve(101));
      request.on('error', reject);
      request.end();
    });
    expect(upgraded).toBe(503);
  });
});

describe('listenerQuiet', () => {
  it('waits while connections keep arriving, and no longer than its bound', async () => {
    await listen((_request, response) => response.end());
    let sent = 0;
    const keepComing = setInterval(() => {
      sent += 1;
      void send(server, '/').catch(() => undefined);
    }, 20);
    const quiet = listenerQuiet(server, 200, 600).then(() => sent);
    // Connections every 20 ms never leave 200 ms of quiet: only the bound ends the wait.
    const sentWhenDone = await quiet;
    clearInterval(keepComing);
    expect(sentWhenDone).toBeGreaterThan(5);
  });
});
