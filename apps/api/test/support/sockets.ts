import {
  REALTIME_NAMESPACE,
  type ChannelEvent,
  type ClientToServerEvents,
  type Closing,
  type ServerToClientEvents,
} from '@pushpull/contracts';
import { io, type Socket } from 'socket.io-client';

export type RealtimeClient = Socket<ServerToClientEvents, ClientToServerEvents> & {
  received: ChannelEvent[];
  closings: Closing[];
};

/** A real socket.io client on /realtime that records what it is pushed. */
export async function connectSocket(
  baseUrl: string,
  transports: Array<'websocket' | 'polling'> = ['websocket'],
  extraHeaders?: Record<string, string>,
  /** The handshake `auth` (e.g. `{ token }`). */
  auth?: Record<string, unknown>,
): Promise<RealtimeClient> {
  const socket = io(baseUrl + REALTIME_NAMESPACE, {
    transports,
    forceNew: true,
    reconnection: false,
    extraHeaders,
    ...(auth && { auth }),
  }) as RealtimeClient;
  socket.received = [];
  socket.closings = [];
  socket.on('event', (event) => socket.received.push(event));
  socket.on('closing', (closing) => socket.closings.push(closing));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}
