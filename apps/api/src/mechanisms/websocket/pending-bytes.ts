import type { Socket } from 'socket.io';

/** The parts of engine.io's connection this reads; not in its public types. */
interface EngineConnection {
  writeBuffer?: Array<{ data?: unknown }>;
  transport?: { socket?: { bufferedAmount?: number } };
}

/**
 * Bytes waiting to reach a socket's client: packets engine.io has queued (all of them on the
 * HTTP long-polling transport, until the next poll) plus what the WebSocket has not flushed yet.
 */
export function pendingBytes(socket: Socket): number {
  const connection = socket.conn as unknown as EngineConnection;
  let queued = 0;
  for (const packet of connection.writeBuffer ?? []) {
    if (typeof packet.data === 'string') queued += packet.data.length;
  }
  return queued + (connection.transport?.socket?.bufferedAmount ?? 0);
}
