import { Inject, Injectable } from '@nestjs/common';
import type { ClientToServerEvents, ServerToClientEvents } from '@pushpull/contracts';
import type { Namespace, Socket } from 'socket.io';
import { ChannelLog, type Unsubscribe } from '../../channels/channel-log';
import type { SerializedEvent } from '../../channels/serialized-event';
import type { SharedEvent } from '../../channels/shared-event';
import { Metrics } from '../../metrics/metrics';

/** socket.io frames an event as `42/realtime,["event",{…}]`: the JSON plus ~24 bytes. */
const PACKET_OVERHEAD_BYTES = 24;

/** What a page of events takes in socket.io packets, from their stored JSON. */
export function packetBytes(events: readonly SerializedEvent[]): number {
  return events.reduce((sum, { json }) => sum + Buffer.byteLength(json) + PACKET_OVERHEAD_BYTES, 0);
}

export type RealtimeNamespace = Namespace<ClientToServerEvents, ServerToClientEvents>;
export type RealtimeSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/**
 * One socket.io room per channel, fed by one `follow` per channel in this process (not one per
 * socket): each event is encoded once and broadcast to the room, so it reaches each socket once,
 * and with a shared backplane no socket.io adapter is needed.
 */
@Injectable()
export class ChannelRooms {
  private readonly feeds = new Map<string, Promise<Unsubscribe>>();

  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  /** Joins the room, opening the channel's feed first, so nothing published after this is missed. */
  async join(
    namespace: RealtimeNamespace,
    socket: RealtimeSocket,
    channel: string,
    afterBroadcast: (channel: string) => void,
  ): Promise<void> {
    let feed = this.feeds.get(channel);
    if (!feed) {
      feed = this.openFeed(namespace, channel, afterBroadcast);
      this.feeds.set(channel, feed);
    }
    await feed;
    // The socket may have gone while the feed opened: joining now would leave a dead member.
    if (socket.disconnected) {
      this.closeIfEmpty(namespace, channel);
      return;
    }
    await socket.join(channel);
  }

  /** Leaves the room; the last socket out closes the channel's feed. */
  async leave(
    namespace: RealtimeNamespace,
    socket: RealtimeSocket,
    channel: string,
  ): Promise<void> {
    await socket.leave(channel);
    this.closeIfEmpty(namespace, channel);
  }

  /** After a disconnect socket.io has already emptied the socket's rooms: close feeds left idle. */
  closeIfEmpty(namespace: RealtimeNamespace, channel: string): void {
    const feed = this.feeds.get(channel);
    if (!feed || (namespace.adapter.rooms.get(channel)?.size ?? 0) > 0) return;
    this.feeds.delete(channel);
    void feed.then((unsubscribe) => unsubscribe());
  }

  private async openFeed(
    namespace: RealtimeNamespace,
    channel: string,
    afterBroadcast: (channel: string) => void,
  ): Promise<Unsubscribe> {
    // Live from the head: each socket gets its own backlog in the subscribe ack.
    const head = await this.log.head(channel);
    return this.log.followShared(channel, head, {
      onEvent: (event: SharedEvent) => {
        namespace.to(channel).emit('event', event.event);
        // Counted once per broadcast: the room's size, and its size times one packet.
        const sockets = namespace.adapter.rooms.get(channel)?.size ?? 0;
        const bytes = event.bytes + PACKET_OVERHEAD_BYTES;
        this.metrics.eventsDelivered('websocket', sockets, sockets * bytes);
        afterBroadcast(channel);
      },
    });
  }
}
