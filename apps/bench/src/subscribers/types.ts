import type { MechanismId } from '@pushpull/contracts';

/**
 * What a lean subscriber speaks: pushpull's HTTP wires, socket.io (engine.io v4), bare `ws` (one
 * message per frame: the raw baseline's and nchan's WebSocket), and nchan's long poll (its cursor
 * in `Last-Modified` / `Etag`). nchan's EventSource is `sse`.
 */
export type Wire =
  'polling' | 'long-polling' | 'sse' | 'ndjson' | 'socket.io' | 'ws' | 'nchan-long-poll';

/**
 * Where a lean subscriber connects: everything a server row (pushpull's API, a baseline, a peer)
 * has to name. `url` is the subscribe URL of the wire — the GET for the HTTP wires (the subscriber
 * adds `after`/`wait` to its query), the origin for socket.io, the `ws://` URL for bare `ws`.
 */
export interface Target {
  wire: Wire;
  url: string;
  /** The channel socket.io subscribes to; the HTTP wires have it in `url`. */
  channel: string;
}

/**
 * Who subscribes: a lean subscriber (this directory: only what latency and counting need), or
 * pushpull's own client from `packages/client` (what the web app runs: "what the client costs").
 */
export type SubscriberSpec =
  | { client: 'lean'; target: Target }
  | { client: 'pushpull'; mechanism: MechanismId; baseUrl: string; channel: string };

/** Called once per event received: the publisher's sequence number and intended send time. */
export type OnStamp = (seq: number, sentAt: number) => void;

export interface Subscriber {
  /** Connected and subscribed (a pull subscriber: its first request is answered or held). */
  readonly open: boolean;
  /** Requests made so far (one per connection for the push wires). */
  readonly requests: number;
  readonly reconnects: number;
  /** Repeats a client dropped itself before the bench saw them (pushpull's client dedupes by id). */
  readonly duplicatesDropped?: number;
  close(): void;
}

export interface LeanOptions {
  pollIntervalMs: number;
}
