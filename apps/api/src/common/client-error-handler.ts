import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { ApiError } from './api-error';
import { SECURITY_HEADERS } from './security-headers';

/** The drain's own reason to give up on a request: its body was still arriving near the deadline. */
export const ARRIVING_AT_SHUTDOWN = 'ERR_ARRIVING_AT_SHUTDOWN';

/** Node's errors for a request it gave up on, and the status each is answered with. */
function describe(error: NodeJS.ErrnoException): { status: number; message: string } {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        status: 408,
        message:
          'The request did not arrive in time (HEADERS_TIMEOUT_MS for its headers, REQUEST_TIMEOUT_MS for all of it)',
      };
    case ARRIVING_AT_SHUTDOWN:
      return {
        status: 408,
        message:
          'The server is shutting down and this request had not fully arrived; send it again',
      };
    case 'HPE_HEADER_OVERFLOW':
      return { status: 431, message: 'The request line and headers are too large' };
    default:
      return { status: 400, message: 'The HTTP request could not be parsed' };
  }
}

/** The headers and body of an error answered outside Fastify, in the contract's shape. */
export function errorAnswer(error: ApiError): { headers: Record<string, string>; body: string } {
  const body = JSON.stringify(error.toBody());
  const headers = {
    ...SECURITY_HEADERS,
    'Cache-Control': 'no-store',
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(body)),
    // Whatever else the client sent on this connection is not going to be read.
    Connection: 'close',
  };
  return { headers, body };
}

function rawErrorAnswer(status: number, error: ApiError): string {
  const { headers, body } = errorAnswer(error);
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
  return `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${lines.join('')}\r\n${body}`;
}

/** How long an answered, unparsable request's socket may stay: time for the answer to drain. */
const ANSWERED_SOCKET_GRACE_MS = 1000;

/**
 * A request Node's HTTP parser gave up on never reaches a route; Fastify hands it here with the
 * bare socket: a malformed request line or header (400), headers too large (431), or headers or
 * body too slow to arrive (408, the slowloris bound). The answer keeps the contract's shape, with
 * `invalid_body` as the code since none names these. A client that already left gets nothing,
 * and nothing is logged for it: going away is not a server error.
 */
export function answerUnparsableRequest(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return;
  // Part of an answer already went out on this socket: a second status line would garble it.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const { status, message } = describe(error);
  socket.end(rawErrorAnswer(status, new ApiError('invalid_body', message)));
  // `end` only half-closes: a client that never closes its side would keep the descriptor (a
  // slowloris cut with 408 that simply stays). It has had its answer; a moment later it is gone.
  setTimeout(() => socket.destroy(), ANSWERED_SOCKET_GRACE_MS).unref();
}
