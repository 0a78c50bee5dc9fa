// WebSockets (socket.io): one connection carries subscribe, publish and pushed events both ways,
// with acks. Pick it for two-way, low-latency traffic; it needs more care behind proxies than HTTP.
import { Inject, Logger } from '@nestjs/common';
import {
  Ack,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
} from '@nestjs/websockets';
import {
  MAX_PAGE_LIMIT,
  REALTIME_NAMESPACE,
  SocketPublishRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  publishBodyBytes,
  type Closing,
  type PublishAck,
  type SubscribeAck,
  type UnsubscribeAck,
} from '@pushpull/contracts';
import { ChannelLog } from '../../channels/channel-log';
import { OpenConnections } from '../../channels/open-connections';
import { ApiError } from '../../common/api-error';
import { parsePayload } from '../../common/parse';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics';
import {
  ChannelRooms,
  packetBytes,
  type RealtimeNamespace,
  type RealtimeSocket,
} from './channel-rooms';
import { pendingBytes } from './pending-bytes';
import { answerAck } from './socket-acks';

@WebSocketGateway({ namespace: REALTIME_NAMESPACE })
export class RealtimeGateway implements OnGatewayConnection, OnGatewayDisconnect {
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly released = new WeakMap<RealtimeSocket, () => void>();
  @WebSocketServer() private readonly namespace!: RealtimeNamespace;

  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(ChannelRooms) private readonly rooms: ChannelRooms,
    @Inject(OpenConnections) private readonly connections: OpenConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  handleConnection(socket: RealtimeSocket): void {
    const release = this.connections.holdStream('websocket', {
      close: (closing) => this.cut(socket, closing),
      pendingBytes: () => pendingBytes(socket),
    });
    this.released.set(socket, release);
  }

  handleDisconnect(socket: RealtimeSocket): void {
    this.released.get(socket)?.();
    for (const channel of this.channelsOf(socket)) this.rooms.closeIfEmpty(this.namespace, channel);
  }

  /**
   * Joins the channel's room, then answers one page of the backlog after `after` in the ack: at
   * most 1000 events and SLOW_READER_MAX_BYTES of them, with `more` when the client should
   * subscribe again from the ack's cursor. A socket's subscribes are answered one at a time, and
   * not at all once it is past the bound (it is cut): a client that sends a burst of subscribes
   * and reads nothing makes this process hold one page, not one per subscribe.
   */
  @SubscribeMessage('subscribe')
  subscribe(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() request: unknown,
    @Ack() ack: (answer: SubscribeAck) => void,
  ): Promise<void> {
    return this.inTurn(socket, async () => {
      if (socket.disconnected || this.cutIfSlow(socket)) return;
      await answerAck(ack, () => this.backlogPage(socket, request));
    });
  }

  private async backlogPage(socket: RealtimeSocket, request: unknown): Promise<SubscribeAck> {
    const { channel, after } = parsePayload(SubscribeRequestSchema, request, 'subscribe');
    // Live first, backlog second: an event published in between arrives twice (the client
    // drops the repeat by id) but never zero times.
    await this.rooms.join(this.namespace, socket, channel, (ch) => this.cutSlowReaders(ch));
    this.channelsOf(socket).add(channel);
    const bound = this.config.SLOW_READER_MAX_BYTES;
    const page = await this.log.read(channel, after, MAX_PAGE_LIMIT, bound);
    const { events, cursor, more, reset } = page;
    this.metrics.eventsDelivered('websocket', events.length, packetBytes(events));
    return { ok: true as const, events, cursor, ...(more && { more }), ...(reset && { reset }) };
  }

  @SubscribeMessage('unsubscribe')
  unsubscribe(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() request: unknown,
    @Ack() ack: (answer: UnsubscribeAck) => void,
  ): Promise<void> {
    return answerAck(ack, async (): Promise<UnsubscribeAck> => {
      const { channel } = parsePayload(UnsubscribeRequestSchema, request, 'unsubscribe');
      this.channelsOf(socket).delete(channel);
      await this.rooms.leave(this.namespace, socket, channel);
      return { ok: true as const };
    });
  }

  /** The same rules as POST /api/channels/:channel/events: schema, server-only channels, size. */
  @SubscribeMessage('publish')
  publish(
    @MessageBody() request: unknown,
    @Ack() ack: (answer: PublishAck) => void,
  ): Promise<void> {
    return answerAck(ack, async (): Promise<PublishAck> => {
      // Schema first: it bounds nesting depth iteratively before anything recursive (JSON.stringify)
      // touches the data, and refuses unknown keys and prototype-poisoning ones like the HTTP route.
      const { channel, ...body } = parsePayload(SocketPublishRequestSchema, request, 'event');
      if (publishBodyBytes(body) > this.config.MAX_EVENT_BYTES) {
        throw new ApiError(
          'payload_too_large',
          `Event is larger than MAX_EVENT_BYTES (${this.config.MAX_EVENT_BYTES} bytes)`,
        );
      }
      const event = await this.log.publish(channel, body);
      return { ok: true as const, event };
    });
  }

  /** A socket whose unsent bytes pass the bound is told why and disconnected; it resumes by id. */
  private cutSlowReaders(channel: string): void {
    for (const id of this.namespace.adapter.rooms.get(channel) ?? []) {
      const socket = this.namespace.sockets.get(id);
      if (socket) this.cutIfSlow(socket);
    }
  }

  /** Cuts the socket if its unsent bytes pass the bound; says whether it did. */
  private cutIfSlow(socket: RealtimeSocket): boolean {
    if (pendingBytes(socket) <= this.config.SLOW_READER_MAX_BYTES) return false;
    this.connections.countSlowConsumerCut('websocket');
    this.cut(socket, {
      code: 'slow_consumer',
      reason: `More than ${this.config.SLOW_READER_MAX_BYTES} bytes were waiting to be read; resume from your last id`,
    });
    return true;
  }

  /** Runs a socket's tasks one after another, in the order they came. */
  private inTurn(socket: RealtimeSocket, task: () => Promise<void>): Promise<void> {
    const data = socket.data as { turn?: Promise<void> };
    const turn = (data.turn ?? Promise.resolve()).then(task);
    data.turn = turn.catch(() => undefined);
    return turn;
  }

  private cut(socket: RealtimeSocket, closing: Closing): void {
    this.logger.warn(`closing socket ${socket.id}: ${closing.code}`);
    socket.emit('closing', closing);
    socket.disconnect(true);
  }

  private channelsOf(socket: RealtimeSocket): Set<string> {
    return ((socket.data as { channels?: Set<string> }).channels ??= new Set());
  }
}
