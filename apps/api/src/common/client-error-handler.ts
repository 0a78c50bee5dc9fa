import type { Socket } from 'node:net';
import { ApiError } from './api-error';

/**
 * A request so malformed that HTTP parsing fails (a bare CR in a header, a broken request line)
 * never reaches a route; Fastify answers it on the socket directly. Keep even that answer in the
 * contract's shape.
 */
export function answerUnparsableRequest(_error: Error, socket: Socket): void {
  if (!socket.writable) return;
  const body = JSON.stringify(
    new ApiError('invalid_body', 'The HTTP request could not be parsed').toBody(),
  );
  socket.end(
    'HTTP/1.1 400 Bad Request\r\n' +
      'Content-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      'Connection: close\r\n\r\n' +
      body,
  );
}
