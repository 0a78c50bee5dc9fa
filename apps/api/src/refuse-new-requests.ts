import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError } from './common/api-error';
import { corsHeadersFor } from './common/cors';
import type { AppConfig } from './config/app-config';

/** Still answered by the app while refusing: they say the truth (alive, not ready) for nothing. */
const PROBES = new Set(['/api/health', '/api/ready']);

type RequestListener = (request: IncomingMessage, response: ServerResponse) => void;

const refusal = () =>
  new ApiError(
    'unavailable',
    'This instance is shutting down and took nothing from this request; send it again (another instance answers)',
  );

/**
 * From now on, every request the server has not received yet is answered 503 `unavailable` with
 * `Connection: close` and never reaches the app — HTTP routes and engine.io alike, and WebSocket
 * upgrades too — while requests already received go on untouched. The drain does this instead of
 * closing the listener at once: connections a proxy opened a moment earlier wait in the kernel's
 * accept queue, and closing the listener resets them, which a proxy without active health checks
 * (open-source nginx) turns into a 502 for a publish it must not retry. A 503 says "not taken,
 * send again", counts as a failure in the proxy's passive health check, and lets it retry a GET
 * elsewhere.
 */
export function refuseNewRequests(server: Server, config: AppConfig): void {
  const handlers = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0]!;
    if (PROBES.has(path)) {
      for (const handler of handlers) handler.call(server, request, response);
      return;
    }
    const body = JSON.stringify(refusal().toBody());
    // Read the body first (it is small, and the server's request timeout bounds a slow one): a
    // proxy still writing it into a closed connection would see an error, not this answer.
    request.resume();
    request.once('end', () =>
      response
        .writeHead(503, {
          ...corsHeadersFor(request.headers.origin, config),
          'Content-Type': 'application/json; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
          Connection: 'close',
        })
        .end(body),
    );
  });
  server.removeAllListeners('upgrade');
  server.on('upgrade', (_request: IncomingMessage, socket: Duplex) => {
    const body = JSON.stringify(refusal().toBody());
    socket.end(
      'HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n' +
        'Content-Type: application/json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  });
}

/**
 * Resolves once no new connection has arrived for `quietMs` (a proxy has stopped sending here), or
 * after `maxMs` whatever happens, so a client that keeps coming back cannot hold the drain open.
 */
export async function listenerQuiet(server: Server, quietMs: number, maxMs: number): Promise<void> {
  let lastConnection = Date.now();
  const onConnection = () => (lastConnection = Date.now());
  server.on('connection', onConnection);
  const deadline = Date.now() + maxMs;
  for (;;) {
    const now = Date.now();
    const quietFor = now - lastConnection;
    if (quietFor >= quietMs || now >= deadline) break;
    await delay(Math.min(quietMs - quietFor, deadline - now));
  }
  server.off('connection', onConnection);
}
