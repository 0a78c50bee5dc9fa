// WebSockets through socket.io: one connection; `subscribe` answers the backlog after the cursor
// in its ack, then events are pushed. Every (re)connect subscribes again from the last id.
import {
  ApiErrorSchema,
  ChannelEventSchema,
  ClosingSchema,
  CursorSchema,
  ERROR_STATUS,
  REALTIME_NAMESPACE,
  type ChannelEvent,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SubscribeAck,
} from '@pushpull/contracts';
import { io, type Socket } from 'socket.io-client';
import { BaseSubscription, type TransportContext } from './base-subscription';
import { ClientError } from './errors';
import { checkContract } from './parse';
import { renewalDelay, tokenExpiry } from './token';
import type { ConnectOptions } from './types';

const ACK_TIMEOUT_MS = 10_000;
const encoder = new TextEncoder();
const sizeOf = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;

export class WebSocketSubscription extends BaseSubscription {
  constructor(options: ConnectOptions) {
    super('websocket', options);
  }

  protected run(context: TransportContext): Promise<void> {
    // Reconnection is the supervisor's (full-jitter backoff, resume by id, like every mechanism),
    // so socket.io's own is off and each run is a fresh connection.
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(
      this.baseUrl + REALTIME_NAMESPACE,
      {
        transports: this.options.transports ?? ['websocket', 'polling'],
        tryAllTransports: true,
        reconnection: false,
        forceNew: true,
        ...(this.token && { auth: { token: this.token } }),
      },
    );
    let renewal: ReturnType<typeof setTimeout> | undefined;
    /** Renews the token shortly before `exp` and hands it to the live socket (`auth`). */
    const scheduleRenewal = (token: string | undefined) => {
      const expiresAt = token && tokenExpiry(token);
      if (!expiresAt || !this.options.getToken) return;
      renewal = setTimeout(async () => {
        try {
          const fresh = await this.renewToken();
          if (!fresh || context.signal.aborted) return;
          const ack = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('auth', { token: fresh });
          context.wire({
            direction: 'in',
            summary: ack.ok ? 'auth: ok' : `auth: ${ack.error.code}`,
          });
          if (ack.ok) scheduleRenewal(fresh);
        } catch {
          // No fresh token this time: the server closes with token_expired, the supervisor renews.
        }
      }, renewalDelay(expiresAt));
    };
    context.countRequest();
    context.wire({ direction: 'out', summary: `connect ${REALTIME_NAMESPACE}` });

    return new Promise<void>((resolve, reject) => {
      const finish = (error?: ClientError) => {
        clearTimeout(renewal);
        context.signal.removeEventListener('abort', onAbort);
        socket.removeAllListeners();
        socket.io.engine?.removeAllListeners('upgrade');
        socket.disconnect();
        if (error) reject(error);
        else resolve();
      };
      const onAbort = () => finish();
      context.signal.addEventListener('abort', onAbort, { once: true });

      // Until the subscribe ack arrives, pushed events wait here so the backlog goes first.
      let waiting: ChannelEvent[] | undefined;
      // socket.io decodes payloads but checks nothing: each one goes through its contract schema,
      // and one that does not match fails the connection as `bad_response`.
      const guarded =
        (handle: (payload: unknown) => void) =>
        (payload: unknown): void => {
          try {
            handle(payload);
          } catch (error) {
            finish(ClientError.from(error));
          }
        };
      socket.on(
        'event',
        guarded((payload) => {
          const bytes = sizeOf(payload);
          context.countBytes(bytes);
          const event = checkContract(ChannelEventSchema, payload, 'event');
          context.wire({ direction: 'in', summary: `event ${event.id}`, bytes });
          if (waiting) waiting.push(event);
          else context.deliver([event]);
        }),
      );
      socket.on(
        'closing',
        guarded((payload) => {
          const closing = checkContract(ClosingSchema, payload, 'closing');
          context.wire({
            direction: 'in',
            summary: `closing: ${closing.code} (${closing.reason})`,
          });
          // Renewed and resumed at once by the supervisor, not backed off from like a drop.
          if (closing.code === 'token_expired')
            finish(new ClientError('token_expired', closing.reason, ERROR_STATUS.token_expired));
          // A drain: the supervisor reconnects after a short jittered wait, elsewhere if it can.
          if (closing.code === 'shutdown') finish(ClientError.shutdown(closing.reason));
        }),
      );
      socket.on('connect_error', (error) =>
        finish(new ClientError('network_error', `socket.io could not connect: ${error.message}`)),
      );
      socket.on('disconnect', (reason) => {
        if (!context.signal.aborted)
          finish(new ClientError('network_error', `socket.io disconnected: ${reason}`));
      });

      socket.on('connect', async () => {
        const engine = socket.io.engine;
        engine.on('upgrade', (transport) => context.transportChanged(transport.name));
        waiting = [];
        // One ack carries one page of the backlog; `more` says subscribe again from its cursor.
        // Pushed events wait in `waiting` until the last page is in, so the backlog goes first.
        for (let first = true; ; first = false) {
          const ack = await this.subscribeOnce(socket, context).catch((error: unknown) => {
            finish(ClientError.from(error));
          });
          if (!ack) return;
          if (first) {
            context.opened(engine.transport.name);
            scheduleRenewal(this.token);
          }
          if (ack.reset) context.reset(ack.cursor);
          context.deliver(ack.events);
          context.advance(ack.cursor);
          if (!ack.more) break;
        }
        const pushedMeanwhile = waiting;
        waiting = undefined;
        context.deliver(pushedMeanwhile); // repeats of the backlog are dropped by id
      });
    });
  }

  /** Sends one `subscribe` from the current cursor; a refusal or no answer throws a ClientError. */
  private async subscribeOnce(
    socket: Socket<ServerToClientEvents, ClientToServerEvents>,
    context: TransportContext,
  ): Promise<SubscribeAck & { ok: true }> {
    const request = { channel: this.channel, ...(this.cursor && { after: this.cursor }) };
    context.wire({ direction: 'out', summary: `subscribe ${JSON.stringify(request)}` });
    let answer: unknown;
    try {
      answer = await socket.timeout(ACK_TIMEOUT_MS).emitWithAck('subscribe', request);
    } catch {
      throw new ClientError('network_error', 'No answer to subscribe');
    }
    const bytes = sizeOf(answer);
    context.countBytes(bytes);
    const ack = parseSubscribeAck(answer);
    context.wire({
      direction: 'in',
      summary: ack.ok
        ? `ack: ${ack.events.length} events${ack.reset ? ', reset' : ''}${ack.more ? ', more' : ''}`
        : `ack: ${ack.error.code}`,
      bytes,
    });
    if (!ack.ok)
      throw new ClientError(ack.error.code, ack.error.message, ERROR_STATUS[ack.error.code]);
    return ack;
  }
}

/** The subscribe ack, checked piece by piece with the contract's schemas (it has no one schema). */
function parseSubscribeAck(answer: unknown): SubscribeAck {
  const ack = (answer ?? {}) as {
    ok?: unknown;
    events?: unknown;
    cursor?: unknown;
    more?: unknown;
    reset?: unknown;
    error?: unknown;
  };
  if (ack.ok === false)
    return { ok: false, error: checkContract(ApiErrorSchema, ack.error, 'subscribe ack') };
  if (ack.ok !== true) throw new ClientError('bad_response', 'Malformed subscribe ack: no ok');
  return {
    ok: true,
    events: checkContract(ChannelEventSchema.array(), ack.events, 'subscribe ack'),
    cursor: checkContract(CursorSchema, ack.cursor, 'subscribe ack'),
    ...(ack.more === true && { more: true as const }),
    ...(ack.reset === true && { reset: true as const }),
  };
}
