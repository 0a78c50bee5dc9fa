import type { ChannelEvent, MechanismId } from '@pushpull/contracts';
import type { BackoffOptions } from './backoff';
import type { ClientError } from './errors';

/**
 * - `connecting`: opening the transport (first time or after a pause);
 * - `open`: the transport answered and events flow;
 * - `backoff`: it failed, or the server is shutting down (error `server_shutdown`), and a retry is
 *   scheduled (`retryInMs`);
 * - `offline`: stopped on purpose by `setOffline(true)`, as a dropped network would;
 * - `failed`: the server refused for good (a 4xx such as a bad channel name): no retry;
 * - `closed`: `close()` was called.
 */
export type SubscriptionStatus =
  'connecting' | 'open' | 'backoff' | 'offline' | 'failed' | 'closed';

export interface StatusChange {
  status: SubscriptionStatus;
  error?: ClientError;
  /** The transport in use, when a mechanism has more than one (socket.io). */
  transport?: string;
  /** When `backoff`: how long until the retry. */
  retryInMs?: number;
}

/** One line of the wire log: a request and its answer, or a frame on a long-lived connection. */
export interface WireEntry {
  at: number;
  direction: 'out' | 'in';
  /** e.g. `GET /api/poll/demo?after=…` or `event 1-4` or `reset`. */
  summary: string;
  status?: number;
  bytes?: number;
  ms?: number;
}

export interface SubscriptionStats {
  requests: number;
  /** Response body bytes received (headers are not visible to a browser). */
  bytesIn: number;
  events: number;
  duplicatesDropped: number;
  reconnects: number;
  resets: number;
  /**
   * Publish → receive of **live** events only (server `ts` to client clock); undefined before the
   * first live one. Replayed events are counted apart: see `classifyDelivery`.
   */
  latencyP50Ms?: number;
  latencyP95Ms?: number;
  /** Events that were already in the log when the current connection session began its catch-up. */
  replayed: number;
  /** The largest age at delivery (receive time − `ts`) among replayed events; undefined before one. */
  oldestReplayAgeMs?: number;
}

/** A subscription's counters before anything happened: where every count starts. */
export const EMPTY_STATS: Readonly<SubscriptionStats> = Object.freeze({
  requests: 0,
  bytesIn: 0,
  events: 0,
  duplicatesDropped: 0,
  reconnects: 0,
  resets: 0,
  replayed: 0,
});

/** How one delivered event was counted: live (its latency is the mechanism's) or caught up. */
export interface Delivery {
  /** Published before the current connection session began: part of its catch-up. */
  replayed: boolean;
  /** Receive time − the event's server `ts`, never below 0 (the two clocks may disagree a little). */
  ageMs: number;
}

export interface SubscriptionEvents {
  /** `delivery` says whether the event is live or replayed, and how old it was on arrival. */
  event: (event: ChannelEvent, delivery: Delivery) => void;
  status: (change: StatusChange) => void;
  wire: (entry: WireEntry) => void;
  /** The cursor was older than the server's history: delivery restarted at its oldest event. */
  reset: (info: { cursor: string }) => void;
}

export interface Subscription {
  readonly mechanism: MechanismId;
  readonly channel: string;
  readonly status: SubscriptionStatus;
  /** The id of the last event delivered (or the starting cursor): where a resume starts. */
  readonly cursor: string | undefined;
  on<K extends keyof SubscriptionEvents>(name: K, listener: SubscriptionEvents[K]): () => void;
  stats(): SubscriptionStats;
  /** Closes the transport and stops (true), or resumes from `cursor` (false). */
  setOffline(offline: boolean): void;
  close(): void;
}

export interface ConnectOptions {
  /** API origin, e.g. http://localhost:4000. */
  baseUrl: string;
  /**
   * Other origins of the same API cluster (instances sharing the Redis backplane, where ids agree).
   * After a failed attempt, or when the server shuts down, the client moves to the next origin and
   * resumes from its cursor there.
   */
  fallbackUrls?: string[];
  channel: string;
  /** Resume after this cursor; omitted means from the oldest retained event. */
  after?: string;
  /**
   * A stream token, for `private:` channels: sent as `Authorization: Bearer` by the fetch-based
   * mechanisms, as socket.io's handshake `auth`, and for SSE in a browser as the API's cookie (set
   * by `POST /api/stream-cookie`, since EventSource cannot send headers).
   */
  token?: string;
  /**
   * Fetches a fresh stream token from the application's backend. Called before the first attempt
   * when there is no `token`, whenever the API answers `token_expired` (or closes with it), once on
   * `unauthorized`/`forbidden`, and by socket.io shortly before `exp` (sent as `auth`, so the
   * socket stays up). Each time the subscription resumes from its last id: nothing lost or doubled.
   * Without it, a 401 or 403 is permanent (`failed`).
   */
  getToken?: () => Promise<string>;
  backoff?: BackoffOptions;
  /**
   * When the server says it is shutting down (a drain: `closing: shutdown`, or a long poll's 204
   * with `X-Closing: shutdown`), the client reconnects after a random wait in [0, this) — to the
   * next fallback origin if there is one — rather than after the exponential backoff, since a
   * drain is not a failure. Default 1000 ms. The jitter keeps a restart from being a thundering
   * herd: every client the drain lets go comes back at a different moment.
   */
  shutdownJitterMs?: number;
  /** Polling: wait between answered requests. */
  intervalMs?: number;
  /** Long polling: how long the server may hold each request, in seconds (default 25). */
  waitS?: number;
  /**
   * WebSocket: socket.io transports to try, in order. Default `['websocket', 'polling']`:
   * WebSocket first, socket.io's HTTP long-polling if it cannot connect.
   */
  transports?: Array<'websocket' | 'polling'>;
  /** Defaults to the global fetch (browsers, Node 20). */
  fetch?: typeof fetch;
}
