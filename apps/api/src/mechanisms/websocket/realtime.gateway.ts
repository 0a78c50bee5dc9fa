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
  type OnGatewayInit,
} from '@nestjs/websockets';
import {
  AuthRequestSchema,
  MAX_PAGE_LIMIT,
  REALTIME_NAMESPACE,
  SocketPublishRequestSchema,
  SubscribeRequestSchema,
  UnsubscribeRequestSchema,
  publishBodyBytes,
  type AuthAck,
  type ChannelAction,
  type Closing,
  type HandshakeAuth,
  type PublishAck,
  type SubscribeAck,
  type UnsubscribeAck,
} from '@pushpull/contracts';
import { ChannelAccess } from '../../auth/channel-access';
import { StreamTokenVerifier } from '../../auth/stream-token-verifier';
import { ChannelLog } from '../../channels/channel-log';
import { OpenConnections } from '../../channels/open-connections';
import { parseEvent } from '../../channels/serialized-event';
import { ApiError } from '../../common/api-error';
import { parsePayload } from '../../common/parse';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { ConnectionsPerIp } from '../../limits/connections-per-ip';
import { WriteRateLimiter } from '../../limits/write-rate-limiter';
import { writerKey } from '../../limits/writer-key';
import { Metrics } from '../../metrics/metrics';
import {
  ChannelRooms,
  packetBytes,
  type RealtimeNamespace,
  type RealtimeSocket,
} from './channel-rooms';
import { forceClose } from './force-close';
import { pendingBytes } from './pending-bytes';
import { answerAck } from './socket-acks';
import { limitSocketsPerIp, socketClientIp } from './socket-admission';
import { SocketGrants } from './socket-grants';

/** What the gateway keeps per socket (in `socket.data`). */
interface SocketState {
  channels: Set<string>;
  /** The stream token: the handshake's `auth.token`, replaced by each accepted `auth` event. */
  token: string | undefined;
  /** Made at the first private channel: most sockets read public ones only, and hold none. */
  grants: SocketGrants | undefined;
}

/**
 * After `closing`, how long a client gets to take it (and what was queued before it) before its
 * connection is ended regardless: as for SSE and NDJSON streams (channels/event-stream.ts).
 */
const CLOSE_GRACE_MS = 1000;

/** The channel alone, checked (and authorized) before the rest of a payload, in HTTP's order. */
const TargetSchema = SubscribeRequestSchema.pick({ channel: true });

@WebSocketGateway({ namespace: REALTIME_NAMESPACE })
export class RealtimeGateway
  implements OnGatewayInit<RealtimeNamespace>, OnGatewayConnection, OnGatewayDisconnect
{
  private readonly logger = new Logger(RealtimeGateway.name);
  private readonly released = new WeakMap<RealtimeSocket, () => void>();
  @WebSocketServer() private readonly namespace!: RealtimeNamespace;

  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(ChannelRooms) private readonly rooms: ChannelRooms,
    @Inject(OpenConnections) private readonly connections: OpenConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(ChannelAccess) private readonly access: ChannelAccess,
    @Inject(StreamTokenVerifier) private readonly verifier: StreamTokenVerifier,
    @Inject(ConnectionsPerIp) private readonly perIp: ConnectionsPerIp,
    @Inject(WriteRateLimiter) private readonly writes: WriteRateLimiter,
  ) {}

  afterInit(namespace: RealtimeNamespace): void {
    limitSocketsPerIp(namespace, this.perIp, this.config.TRUST_PROXY);
  }

  /** A bad or missing handshake token still connects: public channels need none. */
  handleConnection(socket: RealtimeSocket): void {
    const { token } = (socket.handshake.auth ?? {}) as HandshakeAuth;
    const state: SocketState = {
      channels: new Set(),
      token: typeof token === 'string' ? token : undefined,
      grants: undefined,
    };
    // Beside what the handshake's admission put there (the client IP), never instead of it.
    Object.assign(socket.data as object, state);
    const release = this.connections.holdStream('websocket', {
      close: (closing) => this.cut(socket, closing),
      pendingBytes: () => pendingBytes(socket),
    });
    this.released.set(socket, release);
  }

  handleDisconnect(socket: RealtimeSocket): void {
    this.released.get(socket)?.();
    this.stateOf(socket).grants?.clear();
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
    const grant = await this.grantFor(socket, request, 'subscribe');
    const { channel, after } = parsePayload(SubscribeRequestSchema, request, 'subscribe');
    // Live first, backlog second: an event published in between arrives twice (the client
    // drops the repeat by id) but never zero times.
    const unclaim = this.claimChannel(socket, channel);
    await this.rooms
      .join(this.namespace, socket, channel, (ch) => this.cutSlowReaders(ch))
      .catch((error: unknown) => {
        unclaim();
        throw error;
      });
    if (grant) this.grantsOf(socket).hold(channel, grant.expiresAt);
    const bound = this.config.SLOW_READER_MAX_BYTES;
    const page = await this.log.readSerialized(channel, after, MAX_PAGE_LIMIT, bound);
    const { cursor, more, reset } = page;
    this.metrics.eventsDelivered('websocket', page.events.length, packetBytes(page.events));
    const events = page.events.map(parseEvent); // socket.io encodes the ack itself
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
      this.stateOf(socket).grants?.release(channel);
      await this.rooms.leave(this.namespace, socket, channel);
      return { ok: true as const };
    });
  }

  /** The same rules as POST /api/channels/:channel/events: schema, server-only channels, size. */
  @SubscribeMessage('publish')
  publish(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() request: unknown,
    @Ack() ack: (answer: PublishAck) => void,
  ): Promise<void> {
    return answerAck(ack, async (): Promise<PublishAck> => {
      // As over HTTP: the access check first, so a verified `sub` names the writer; then one token
      // from the bucket this writer's HTTP writes share, spent even by a payload the schema then
      // refuses (a flood of bad publishes is a flood all the same).
      const grant = await this.grantFor(socket, request, 'publish');
      this.writes.take(writerKey(socketClientIp(socket), grant?.sub));
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

  /**
   * Replaces the socket's stream token. A refused token (401 `unauthorized` or `token_expired`)
   * replaces nothing: the socket keeps the one it had. An accepted one re-arms the expiry of every
   * held private channel it covers, so the socket stays connected past the old token's `exp`.
   */
  @SubscribeMessage('auth')
  auth(
    @ConnectedSocket() socket: RealtimeSocket,
    @MessageBody() request: unknown,
    @Ack() ack: (answer: AuthAck) => void,
  ): Promise<void> {
    return answerAck(ack, async (): Promise<AuthAck> => {
      const { token } = parsePayload(AuthRequestSchema, request, 'auth');
      const claims = await this.verifier.verify(token);
      const state = this.stateOf(socket);
      state.token = token;
      state.grants?.renew(claims);
      return { ok: true as const };
    });
  }

  /**
   * The access check HTTP's guard runs, on the payload's channel, with the socket's token. A
   * payload without a well-formed channel is left to the handler's schema (400 `invalid_channel`).
   */
  private grantFor(socket: RealtimeSocket, request: unknown, action: ChannelAction) {
    const target = TargetSchema.safeParse(request);
    if (!target.success) return Promise.resolve(undefined);
    return this.access.authorize(this.stateOf(socket).token, target.data.channel, action);
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
    // A client that stopped reading never takes the close: it would stay connected for ever.
    setTimeout(() => forceClose(socket), CLOSE_GRACE_MS).unref();
  }

  /**
   * Counts `channel` against MAX_CHANNELS_PER_SOCKET. Subscribes run in turn (`inTurn`), so a burst
   * of them cannot all pass the check; returns the undo for a subscribe that then fails.
   */
  private claimChannel(socket: RealtimeSocket, channel: string): () => void {
    const channels = this.channelsOf(socket);
    if (channels.has(channel)) return () => undefined;
    if (channels.size >= this.config.MAX_CHANNELS_PER_SOCKET) {
      this.metrics.limited('channels');
      throw new ApiError(
        'rate_limited',
        `This socket is subscribed to MAX_CHANNELS_PER_SOCKET (${this.config.MAX_CHANNELS_PER_SOCKET}) channels; unsubscribe from one first`,
      );
    }
    channels.add(channel);
    return () => channels.delete(channel);
  }

  private stateOf(socket: RealtimeSocket): SocketState {
    return socket.data as SocketState;
  }

  /** The socket's private channels and their expiries, made when it holds its first. */
  private grantsOf(socket: RealtimeSocket): SocketGrants {
    const state = this.stateOf(socket);
    state.grants ??= new SocketGrants(() =>
      this.cut(socket, {
        code: 'token_expired',
        reason:
          'The stream token has expired; reconnect with a fresh one (or send auth before exp)',
      }),
    );
    return state.grants;
  }

  private channelsOf(socket: RealtimeSocket): Set<string> {
    return this.stateOf(socket).channels;
  }
}
