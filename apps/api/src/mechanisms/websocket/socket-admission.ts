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

/**
 * Counts every socket against `MAX_CONNECTIONS_PER_IP` at the handshake, so one over it is refused
 * before it is connected: the client's `connect_error` carries `data: { code: 'rate_limited',
 * message }`, the way socket.io spells a refused handshake.
 */
export function limitSocketsPerIp(
  namespace: RealtimeNamespace,
  perIp: ConnectionsPerIp,
  trustedProxies: number,
): void {
  namespace.use((socket, next) => {
    const ip = clientIp(socket.request, trustedProxies);
    (socket.data as AdmittedSocketData).clientIp = ip;
    let release: () => void;
    try {
      release = perIp.hold(ip);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      next(Object.assign(new Error(error.message), { data: error.toBody().error }));
      return;
    }
    // A connected socket ends with `disconnect`; one whose client left during the handshake never
    // connects, and only its engine connection's `close` says so. Release counts once either way.
    socket.once('disconnect', release);
    socket.conn.once('close', release);
    next();
  });
}
