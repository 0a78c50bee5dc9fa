import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Socket } from 'socket.io';

type Transform = (data: unknown) => Observable<unknown>;

/**
 * Binds a socket's message handlers with one plain listener each, where Nest's IoAdapter builds an
 * RxJS pipeline per handler per socket (`fromEvent` → `mergeMap` → `takeUntil(disconnect$)`, and a
 * shared `disconnect$` kept in a WeakMap): about 20 KiB of subscribers, closures and contexts held
 * for every idle socket, most of what a socket cost beyond bare socket.io. The rules are Nest's:
 * the last argument is the ack when it is a function; a handler's non-nil result is emitted when
 * it names an `event`, else acked unless the handler acks itself (`@Ack()`); and nothing is sent
 * for a socket that has disconnected meanwhile (Nest's `takeUntil`).
 */
export function bindPlainMessageHandlers(
  socket: Socket,
  handlers: MessageMappingProperties[],
  transform: Transform,
): void {
  for (const { message, callback, isAckHandledManually } of handlers) {
    socket.on(message, (...payload: unknown[]) => {
      const { data, ack } = mapPayload(payload);
      // Per message, not per socket: gone once the handler's result is in. An error is left to
      // RxJS's unhandled-error report, as it was in Nest's pipeline.
      transform(callback(data, ack)).subscribe((response) => {
        if (response === null || response === undefined || socket.disconnected) return;
        const { event, data: eventData } = response as { event?: string; data?: unknown };
        if (event) socket.emit(event, eventData);
        else if (!isAckHandledManually && typeof ack === 'function') ack(response);
      });
    });
  }
}

/** socket.io's listener arguments as Nest's handlers take them: the data, and the ack if any. */
function mapPayload(payload: unknown[]): { data: unknown; ack?: (...args: unknown[]) => void } {
  const last = payload[payload.length - 1];
  if (typeof last !== 'function') return { data: payload.length <= 1 ? payload[0] : payload };
  const size = payload.length - 1;
  return {
    data: size === 0 ? undefined : size === 1 ? payload[0] : payload.slice(0, size),
    ack: last as (...args: unknown[]) => void,
  };
}
