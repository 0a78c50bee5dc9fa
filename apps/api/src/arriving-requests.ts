import type { IncomingMessage, Server } from 'node:http';
import { ARRIVING_AT_SHUTDOWN, answerUnparsableRequest } from './common/client-error-handler';

/**
 * The requests this server has begun to receive and not yet received whole, so that the drain can
 * answer them 408 before its deadline. Node's own `requestTimeout` would, but its checks stop when
 * the listener closes; without this, one client sending a body slowly (or not at all) at SIGTERM
 * would hold the drain until SHUTDOWN_TIMEOUT_MS and make it exit 1.
 */
export class ArrivingRequests {
  private readonly open = new Set<IncomingMessage>();

  constructor(server: Server) {
    server.on('request', (request: IncomingMessage) => {
      this.open.add(request);
      // Whichever comes first: the body is in, or the exchange is over.
      const forget = () => this.open.delete(request);
      request.once('end', forget);
      request.once('close', forget);
    });
  }

  /** Answers 408 every request whose body is still arriving; returns how many. */
  cutIncomplete(): number {
    let cut = 0;
    for (const request of this.open) {
      if (request.complete) continue;
      answerUnparsableRequest(
        Object.assign(new Error('arriving at shutdown'), { code: ARRIVING_AT_SHUTDOWN }),
        request.socket,
      );
      cut += 1;
    }
    return cut;
  }
}
