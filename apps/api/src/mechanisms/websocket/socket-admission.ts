import type { IncomingMessage } from 'node:http';
import { ApiError } from '../../common/api-error';
import { clientIp } from '../../limits/client-ip';
import type { ConnectionsPerIp } from '../../limits/connections-per-ip';
import type { RealtimeNamespace, RealtimeSocket } from './channel-rooms';

/** What the handshake learnt about a socket, kept on `socket.data`. */
interface AdmittedSocketData {
  clientIp?: string;
}

/** The client IP a socket was admitted as (the key its writes and its held connection count on). */
export function socketClientIp(socket: RealtimeSocket): string {
  return (socket.data as AdmittedSocketData).clientIp ?? 'unknown';
}

/** How long a connection over the limit is kept, so its namespace connect can hear why. */
const REFUSAL_GRACE_MS = 1000;

/** What admission decided for one engine.io connection, kept on its handshake request. */
const REFUSED = Symbol('refused: over MAX_CONNECTIONS_PER_IP');
type AdmittedRequest = IncomingMessage & { [REFUSED]?: ApiError };

/**
 * Counts every engine.io connection (whatever namespace it joins, or none) against
 * `MAX_CONNECTIONS_PER_IP`: the connection, not the namespace socket, is what holds a file
 * descriptor. One over the limit is refused at the `/realtime` handshake: the client's
 * `connect_error` carries `data: { code: 'rate_limited', message }`, the way socket.io spells a
 * refused handshake; the connection itself is closed a moment later, namespace or not.
 */
export function limitSocketsPerIp(
  namespace: RealtimeNamespace,
  perIp: ConnectionsPerIp,
  trustedProxies: number,
): void {
  namespace.server.engine.on('connection', (connection: EngineConnection) => {
    const request = connection.request as AdmittedRequest;
    try {
      connection.once('close', perIp.hold(clientIp(request, trustedProxies)));
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      request[REFUSED] = error;
      const close = setTimeout(() => connection.close(), REFUSAL_GRACE_MS).unref();
      connection.once('close', () => clearTimeout(close));
    }
  });
  namespace.use((socket, next) => {
    const refused = (socket.request as AdmittedRequest)[REFUSED];
    if (refused) {
      next(Object.assign(new Error(refused.message), { data: refused.toBody().error }));
      return;
    }
    (socket.data as AdmittedSocketData).clientIp = clientIp(socket.request, trustedProxies);
    next();
  });
}

/** The parts of an engine.io connection this reads. */
interface EngineConnection {
  request: IncomingMessage;
  once(event: 'close', listener: () => void): void;
  close(): void;
}
