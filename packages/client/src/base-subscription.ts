import type { ChannelEvent, MechanismId } from '@pushpull/contracts';
import { DEFAULT_BACKOFF, fullJitterDelay, shutdownJitterDelay } from './backoff';
import { Emitter } from './emitter';
import { ClientError } from './errors';
import { DeliveryTiming } from './delivery-timing';
import { SeenIds } from './seen-ids';
import { sleep } from './sleep';
import {
  EMPTY_STATS,
  type ConnectOptions,
  type StatusChange,
  type Subscription,
  type SubscriptionEvents,
  type SubscriptionStats,
  type SubscriptionStatus,
  type WireEntry,
} from './types';

/** What a concrete transport gets to report back while it runs. */
export interface TransportContext {
  signal: AbortSignal;
  /** The transport answered: resets the backoff and shows `open`. */
  opened(transport?: string): void;
  /** The connection moved to another transport (socket.io's upgrade from polling to websocket). */
  transportChanged(transport: string): void;
  /** The transport dropped and is reconnecting by itself (EventSource). */
  dropped(): void;
  /**
   * The transport reconnected by itself (EventSource): counted as a reconnect, and a new session
   * begins, so what it catches up on counts as replayed, not as latency.
   */
  reconnected(): void;
  deliver(events: readonly ChannelEvent[]): void;
  reset(cursor: string): void;
  /** The cursor moved without an event (an empty page's cursor, a reset frame's id). */
  advance(cursor: string): void;
  wire(entry: Omit<WireEntry, 'at'> & { at?: number }): void;
  /** One more request on the wire (a poll, a stream (re)opened). */
  countRequest(): void;
  /** Body bytes received. */
  countBytes(bytes: number): void;
}

/**
 * Everything the mechanisms share on the client: status, resume cursor, duplicate dropping,
 * counters, the offline toggle, and a supervisor that reruns the transport with backoff and full
 * jitter until `close()`. A concrete mechanism implements `run` and nothing else; it ends a run with
 * `ClientError.shutdown` when the server says it is draining.
 */
export abstract class BaseSubscription implements Subscription {
  readonly channel: string;
  private readonly emitter = new Emitter<SubscriptionEvents>();
  private readonly seen = new SeenIds();
  private readonly timing = new DeliveryTiming();
  /** The counts this class keeps; replays and latency are `timing`'s, which `stats()` lays over. */
  private readonly counters: SubscriptionStats = { ...EMPTY_STATS };
  private currentStatus: SubscriptionStatus = 'connecting';
  private lastCursor: string | undefined;
  private attempt: AbortController | undefined;
  private offline = false;
  private closed = false;
  private currentToken: string | undefined;
  /** A token was fetched after a refusal and no attempt has opened since: a second refusal is final. */
  private renewedSinceOpen = false;
  /** `baseUrl` first, then the fallbacks: where the next attempt goes when one fails. */
  private readonly origins: string[];
  private originIndex = 0;

  protected constructor(
    readonly mechanism: MechanismId,
    protected readonly options: ConnectOptions,
  ) {
    this.channel = options.channel;
    this.lastCursor = options.after;
    this.currentToken = options.token;
    this.origins = [options.baseUrl, ...(options.fallbackUrls ?? [])];
    // Start on the next tick so callers can attach listeners first.
    queueMicrotask(() => void this.supervise());
  }

  /** Runs the transport until it fails (throw) or `signal` aborts (return). */
  protected abstract run(context: TransportContext): Promise<void>;

  get status(): SubscriptionStatus {
    return this.currentStatus;
  }

  get cursor(): string | undefined {
    return this.lastCursor;
  }

  /** The API origin the current attempt talks to. */
  protected get baseUrl(): string {
    return this.origins[this.originIndex]!;
  }

  /** Whether another origin can take over when this one fails. */
  protected get canFailOver(): boolean {
    return this.origins.length > 1;
  }

  /** The stream token the next request (or socket) carries. */
  protected get token(): string | undefined {
    return this.currentToken;
  }

  /**
   * Asks `getToken` for a fresh token and keeps it; undefined without `getToken`. socket.io calls
   * it ahead of `exp`; the supervisor calls it on a refusal.
   */
  protected async renewToken(): Promise<string | undefined> {
    if (!this.options.getToken) return undefined;
    this.currentToken = await this.options.getToken();
    this.emitter.emit('wire', {
      at: Date.now(),
      direction: 'out',
      summary: 'getToken → new token',
    });
    return this.currentToken;
  }

  protected get fetch(): typeof fetch {
    return this.options.fetch ?? globalThis.fetch.bind(globalThis);
  }

  on<K extends keyof SubscriptionEvents>(name: K, listener: SubscriptionEvents[K]): () => void {
    return this.emitter.on(name, listener);
  }

  stats(): SubscriptionStats {
    return {
      ...this.counters,
      ...this.timing.stats(),
    };
  }

  setOffline(offline: boolean): void {
    if (this.closed || offline === this.offline) return;
    this.offline = offline;
    if (offline) {
      this.attempt?.abort();
      this.setStatus({ status: 'offline' });
    } else {
      this.counters.reconnects += 1;
      void this.supervise();
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.attempt?.abort();
    this.setStatus({ status: 'closed' });
    this.emitter.clear();
  }

  private async supervise(): Promise<void> {
    let failures = 0;
    while (!this.closed && !this.offline) {
      const attempt = new AbortController();
      this.attempt = attempt;
      this.timing.sessionStarted(); // whatever this attempt catches up on is replayed
      this.setStatus({ status: 'connecting' });
      const opened = () => {
        failures = 0;
        this.renewedSinceOpen = false;
      };
      try {
        if (!this.currentToken) await this.renewToken();
        await this.run(this.contextFor(attempt.signal, opened));
        if (attempt.signal.aborted) return;
        throw new ClientError('network_error', 'The connection ended');
      } catch (error) {
        if (attempt.signal.aborted) return;
        const clientError = ClientError.from(error);
        const renewal = await this.renewAfterRefusal(clientError);
        if (renewal === 'renewed') {
          // Straight back, from the last id: an expired token is routine, not a failure.
          this.counters.reconnects += 1;
          continue;
        }
        // A network error is logged by the request that met it; an answer that did not parse is
        // logged here, the one place every transport's failure passes.
        if (clientError.code === 'bad_response') this.logFailure(clientError);
        if (clientError.permanent && renewal !== 'getToken failed') {
          this.setStatus({ status: 'failed', error: clientError });
          return;
        }
        const retryInMs = clientError.serverShutdown
          ? this.delayAfterShutdown()
          : fullJitterDelay(failures++, this.options.backoff ?? DEFAULT_BACKOFF);
        this.failOver();
        this.setStatus({ status: 'backoff', error: clientError, retryInMs });
        await sleep(retryInMs, attempt.signal);
        if (attempt.signal.aborted) return;
        this.counters.reconnects += 1;
      }
    }
  }

  /**
   * The server is draining (`closing: shutdown`, or a long poll's 204 with `X-Closing: shutdown`):
   * come back soon, after a full-jitter wait under `shutdownJitterMs` so the crowd the drain let go
   * does not return in one instant. A drain is not a failure, so the failure count (and with it the
   * exponential backoff) stays where it was.
   */
  private delayAfterShutdown(): number {
    const retryInMs = shutdownJitterDelay(this.options.shutdownJitterMs);
    this.emitter.emit('wire', {
      at: Date.now(),
      direction: 'in',
      summary: `server shutting down → reconnecting in ${retryInMs} ms`,
    });
    return retryInMs;
  }

  /**
   * On a refused token, with `getToken`: fetch a fresh one and say to retry at once. Only once per
   * opened connection, so a token that is refused again (not covering the channel) ends as
   * `failed` rather than looping. A `getToken` that throws is a passing failure (backoff).
   */
  private async renewAfterRefusal(
    error: ClientError,
  ): Promise<'renewed' | 'getToken failed' | 'not renewed'> {
    if (!error.tokenRefused || !this.options.getToken || this.renewedSinceOpen)
      return 'not renewed';
    this.logFailure(error);
    try {
      await this.renewToken();
      this.renewedSinceOpen = true;
      return 'renewed';
    } catch {
      return 'getToken failed';
    }
  }

  private logFailure(error: ClientError): void {
    this.emitter.emit('wire', {
      at: Date.now(),
      direction: 'in',
      summary: `${error.code}: ${error.message}`,
      ...(error.status !== undefined && { status: error.status }),
    });
  }

  /** Ids agree across the instances of a cluster, so the cursor carries over to the next origin. */
  private failOver(): void {
    if (!this.canFailOver) return;
    this.originIndex = (this.originIndex + 1) % this.origins.length;
    this.emitter.emit('wire', {
      at: Date.now(),
      direction: 'out',
      summary: `failing over to ${this.baseUrl}`,
    });
  }

  private contextFor(signal: AbortSignal, resetFailures: () => void): TransportContext {
    const live = () => !signal.aborted && !this.closed;
    return {
      signal,
      opened: (transport) => {
        resetFailures();
        if (live() && this.currentStatus !== 'open') this.setStatus({ status: 'open', transport });
      },
      transportChanged: (transport) => {
        if (live()) this.setStatus({ status: this.currentStatus, transport });
      },
      dropped: () => {
        if (live()) this.setStatus({ status: 'connecting' });
      },
      reconnected: () => {
        if (!live()) return;
        this.counters.reconnects += 1;
        this.timing.sessionStarted();
      },
      deliver: (events) => {
        for (const event of events) if (live()) this.deliverOne(event);
      },
      reset: (cursor) => {
        if (!live()) return;
        this.counters.resets += 1;
        this.lastCursor = cursor;
        this.emitter.emit('wire', {
          at: Date.now(),
          direction: 'in',
          summary: `reset → ${cursor}`,
        });
        this.emitter.emit('reset', { cursor });
      },
      advance: (cursor) => {
        if (live()) this.lastCursor = cursor;
      },
      wire: (entry) => {
        if (live()) this.emitter.emit('wire', { ...entry, at: entry.at ?? Date.now() });
      },
      countRequest: () => {
        this.counters.requests += 1;
      },
      countBytes: (bytes) => {
        this.counters.bytesIn += bytes;
      },
    };
  }

  private deliverOne(event: ChannelEvent): void {
    // A repeat never moves the cursor: it may be older than what was already delivered.
    if (!this.seen.remember(event.id)) {
      this.counters.duplicatesDropped += 1;
      return;
    }
    this.lastCursor = event.id;
    this.counters.events += 1;
    this.emitter.emit('event', event, this.timing.record(event.ts));
  }

  private setStatus(change: StatusChange): void {
    this.currentStatus = change.status;
    this.emitter.emit('status', change);
  }
}
