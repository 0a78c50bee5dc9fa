import type { Socket } from 'socket.io';

/** The parts of engine.io's connection this reads; not in its public types. */
interface EngineConnection {
  readyState: string;
  transport?: { name?: string; socket?: { terminate?(): void } };
  close(discard?: boolean): void;
}

/**
 * Ends a socket's connection now, whatever is still queued for it. `disconnect(true)` alone waits
 * for the client to take every packet queued before the close (engine.io waits for `drain`), and
 * then for its WebSocket close frame (ws waits 30 s): a client that stopped reading would keep the
 * connection, its buffered bytes and the drain (SIGTERM) waiting for ever.
 */
export function forceClose(socket: Socket): void {
  const connection = socket.conn as unknown as EngineConnection;
  const transport = connection.transport;
  // The TCP connection itself goes (a no-op once it is closed). Checked even when engine.io counts
  // the socket closed: it does as soon as it sent its close frame, while ws still waits for the
  // client's.
  if (transport?.name === 'websocket') transport.socket?.terminate?.();
  // HTTP long-polling holds no connection between polls: dropping the queue closes it.
  else if (connection.readyState !== 'closed') connection.close(true);
}
