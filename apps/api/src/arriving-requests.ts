import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import { ARRIVING_AT_SHUTDOWN, answerUnparsableRequest } from './common/client-error-handler';

/** What Node keeps on an HTTP connection's socket; not in its public types. */
interface HttpSocket extends Socket {
  /** The HTTP parser; null once the connection was upgraded (a WebSocket) or is done. */
  parser?: unknown;
  /** The response being answered on this connection, if any. */
  _httpMessage?: unknown;
}

/**
 * The requests this server has begun to receive and not yet received whole, so that the drain can
 * answer them 408 before its deadline. Node's own `requestTimeout` would, but its checks stop when
 * the listener closes; without this, one client sending a body slowly (or not at all) at SIGTERM
 * would hold the drain until SHUTDOWN_TIMEOUT_MS and make it exit 1. The same goes for a request
 * whose headers are still arriving, or a connection that has sent nothing yet (a browser's
 * preconnect does exactly that): Node counts such a connection busy, not idle, so the drain's
 * idle sweep never closes it.
 */
export class ArrivingRequests {
  private readonly open = new Set<IncomingMessage>();
  private readonly sockets = new Set<HttpSocket>();

  constructor(server: Server) {
    server.on('connection', (socket: HttpSocket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    server.on('request', (request: IncomingMessage) => {
      // Without a body (a GET, an SSE stream) a request is whole once its headers are: nothing
      // of it can still be arriving, and tracking it would hold two listeners for as long as
      // the answer lasts (a stream's whole life).
      if (!mayHaveBody(request)) return;
      this.open.add(request);
      // Whichever comes first: the body is in, or the exchange is over.
      const forget = () => this.open.delete(request);
      request.once('end', forget);
      request.once('close', forget);
    });
  }

  /**
   * Drops, at once, every connection with no request being answered on it: one that has sent
   * nothing (a browser's preconnect), or only part of a request's headers. It holds no request,
   * and waiting for the 408 cut would keep the drain busy for nothing. (Node reads a connection's
   * bytes straight into its parser, so "sent nothing" and "sent half a request line" cannot be
   * told apart from here; neither is a request received.) Destroyed rather than ended: a request
   * completing on a half-closed connection would be taken and could not be answered.
   */
  dropWithoutRequest(): number {
    let dropped = 0;
    for (const socket of this.sockets) {
      if (socket.parser && !socket._httpMessage && !socket.destroyed) {
        socket.destroy();
        dropped += 1;
      }
    }
    return dropped;
  }

  /** Answers 408 every request whose body or headers are still arriving; returns how many. */
  cutIncomplete(): number {
    let cut = 0;
    for (const request of this.open) {
      if (request.complete) continue;
      this.answer408(request.socket);
      cut += 1;
    }
    for (const socket of this.sockets) {
      // Still an HTTP connection (not upgraded), and no request on it is being answered: whatever
      // it holds is a request not received yet (or nothing at all).
      if (socket.parser && !socket._httpMessage && !socket.destroyed) {
        this.answer408(socket);
        cut += 1;
      }
    }
    return cut;
  }

  private answer408(socket: Socket): void {
    answerUnparsableRequest(
      Object.assign(new Error('arriving at shutdown'), { code: ARRIVING_AT_SHUTDOWN }),
      socket,
    );
  }
}

/** HTTP/1.1 framing: a request carries a body only with a Transfer-Encoding or a non-zero length. */
function mayHaveBody(request: IncomingMessage): boolean {
  const length = request.headers['content-length'];
  return (
    request.headers['transfer-encoding'] !== undefined ||
    (length !== undefined && Number(length) !== 0)
  );
}
