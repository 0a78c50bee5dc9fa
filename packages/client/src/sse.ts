// Server-Sent Events: the browser's EventSource holds one text/event-stream response open and, when
// it drops, reconnects by itself sending Last-Event-ID. This class watches it; only when the
// EventSource gives up (readyState CLOSED), when other cluster origins are configured, or when the
// server says `closing` (token_expired, shutdown), does the supervisor take over and start a new one
// at ?after=.
import {
  ChannelEventSchema,
  ERROR_STATUS,
  SSE_CONTROL_EVENTS,
  SseResetSchema,
  ClosingSchema,
  paths,
  withQuery,
} from '@pushpull/contracts';
import { BaseSubscription, type TransportContext } from './base-subscription';
import { ClientError } from './errors';
import { EventSourceImpl, openEventSource } from './event-source.node';
import { authHeaders } from './http';
import { parseContract } from './parse';
import type { ConnectOptions } from './types';

const encoder = new TextEncoder();

export class SseSubscription extends BaseSubscription {
  /** `mechanism`: the message queue follows its job channels over this same transport. */
  constructor(options: ConnectOptions, mechanism: 'sse' | 'message-queue' = 'sse') {
    super(mechanism, options);
  }

  protected async run(context: TransportContext): Promise<void> {
    const url = this.baseUrl + withQuery(paths.sse(this.channel), { after: this.cursor });
    const token = this.token;
    const source = await openEventSource(url, token, this.fetch);
    if (context.signal.aborted) return source.close();
    context.countRequest();
    context.wire({
      direction: 'out',
      summary: `GET ${new URL(url).pathname}${new URL(url).search} (EventSource)`,
    });

    return new Promise<void>((resolve, reject) => {
      let dropped = false;
      const stop = () => {
        source.close();
        context.signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        stop();
        resolve();
      };
      context.signal.addEventListener('abort', onAbort, { once: true });

      /**
       * EventSource calls listeners outside this promise, so a frame that does not parse would
       * otherwise throw into nowhere: it fails the connection instead, as `bad_response`.
       */
      const guarded =
        (handle: (message: MessageEvent<string>) => void) =>
        (message: Event): void => {
          try {
            handle(message as MessageEvent<string>);
          } catch (error) {
            stop();
            reject(error);
          }
        };

      source.onopen = () => {
        // A reopen after a drop is the EventSource's own reconnect: count it like ours.
        if (dropped) {
          context.reconnected();
          context.countRequest();
        }
        dropped = false;
        context.opened();
        context.wire({
          direction: 'in',
          summary: 'open (heartbeats are SSE comments: EventSource hides them)',
        });
      };
      source.onmessage = guarded((message) => {
        const bytes = frameBytes(message);
        context.countBytes(bytes);
        const event = parseContract(ChannelEventSchema, message.data, 'event frame');
        context.wire({ direction: 'in', summary: `event ${event.id}`, bytes });
        context.deliver([event]);
      });
      source.addEventListener(
        SSE_CONTROL_EVENTS.reset,
        guarded((message) => {
          context.countBytes(frameBytes(message));
          const { cursor } = parseContract(SseResetSchema, message.data, 'reset frame');
          context.reset(cursor);
        }),
      );
      source.addEventListener(
        SSE_CONTROL_EVENTS.closing,
        guarded((message) => {
          const closing = parseContract(ClosingSchema, message.data, 'closing frame');
          context.wire({
            direction: 'in',
            summary: `closing: ${closing.code} (${closing.reason})`,
          });
          // The EventSource would reconnect with the expired token: stop it, and let the
          // supervisor renew the token and resume from the last id.
          if (closing.code === 'token_expired') {
            stop();
            reject(new ClientError('token_expired', closing.reason, ERROR_STATUS.token_expired));
          }
          // Left alone, every EventSource the drain let go would come back after the same
          // `retry:` hint, at the same instant, to the instance going away: stop it, and let the
          // supervisor wait a jittered moment and go to a fallback origin if there is one.
          if (closing.code === 'shutdown') {
            stop();
            reject(ClientError.shutdown(closing.reason));
          }
        }),
      );
      source.onerror = () => {
        // With other origins to go to, the client chooses where to reconnect, not the EventSource
        // (which would keep retrying the instance that just went away).
        if (source.readyState === EventSourceImpl.CONNECTING && !this.canFailOver) {
          // The EventSource retries by itself, after the server's `retry:` hint, with Last-Event-ID.
          dropped = true;
          context.dropped();
          return;
        }
        stop();
        void diagnose(this.fetch, url, token).then(reject);
      };
    });
  }
}

/** The frame as it travelled, give or take the comment lines EventSource hides. */
function frameBytes(message: MessageEvent<string>): number {
  const id = message.lastEventId ? `id: ${message.lastEventId}\n` : '';
  const name = message.type === 'message' ? '' : `event: ${message.type}\n`;
  return encoder.encode(`${name}${id}data: ${message.data}\n\n`).byteLength;
}

/**
 * EventSource reports a refused connection without status or body. Ask once with fetch to learn
 * the API's error code (a bad channel is `invalid_channel`, and permanent); a stream that answers
 * after all means the failure was passing.
 */
async function diagnose(
  fetchImpl: typeof fetch,
  url: string,
  token: string | undefined,
): Promise<ClientError> {
  const controller = new AbortController();
  try {
    // The same credentials the EventSource had: the header here, the cookie in a browser.
    const response = await fetchImpl(url, {
      signal: controller.signal,
      cache: 'no-store',
      headers: authHeaders(token),
      credentials: 'include',
    });
    if (response.ok) return new ClientError('network_error', 'The event stream closed');
    return ClientError.fromResponse(response.status, await response.text());
  } catch (error) {
    return ClientError.from(error);
  } finally {
    controller.abort();
  }
}
