import {
  MAX_PAGE_LIMIT,
  type ChannelEvent,
  type Page,
  type PublishBody,
} from '@pushpull/contracts';
import { Logger } from '@nestjs/common';
import {
  BEFORE_EVERYTHING,
  cursorBefore,
  formatCursor,
  isBeforeEverything,
  mustReset,
  parseCursor,
  type Cursor,
  type Retained,
} from './cursor';
import { LocalFanout, type Unsubscribe } from './local-fanout';
import { parseRemembered, storedFormOf, wireBytes, type SerializedEvent } from './serialized-event';
import { SharedEvent } from './shared-event';

export interface FollowHandlers {
  /** Each event once, in order: the backlog after the cursor, then live events. */
  onEvent(event: ChannelEvent): void;
  /**
   * The cursor was older than retained history (or from another epoch): delivery restarts at the
   * oldest retained event. `cursor` is where the follower now stands, before that event.
   */
  onReset?(cursor: string): void;
  /** How a reader paces its backlog; without it, the backlog is handed over as fast as it is read. */
  pacing?: BacklogPacing;
}

/** A backlog written no faster than the reader takes it (streams: see `EventStream.pacing`). */
export interface BacklogPacing {
  /** The most bytes of events read from the log at once: what a waiting replay holds in hand. */
  maxPageBytes: number;
  /**
   * Asked after each backlog event: `true` to go on at once, or a promise that waits for the
   * reader and resolves `false` if it went away or was cut (the replay then stops).
   */
  ready(): boolean | Promise<boolean>;
}

/**
 * `follow`'s handlers for a follower that writes events on a wire: each event comes as a
 * `SharedEvent`, the same object for every follower in this process when it is live.
 */
export interface SharedFollowHandlers extends Omit<FollowHandlers, 'onEvent'> {
  onEvent(event: SharedEvent): void;
}

export type { Unsubscribe };

/** A page whose events are still the JSON they were stored as: what a wire can carry as it is. */
export interface SerializedPage extends Omit<Page, 'events'> {
  events: SerializedEvent[];
}

/** Everything after a cursor, read to the end: a page that was never cut. */
export type Backlog = Omit<Page, 'more'>;

/** What a driver reads in one consistent look at a channel. */
export interface Snapshot {
  /** Undefined when the channel holds no events (never written, or expired). */
  retained: Retained | undefined;
  /** At most `limit` events after the given id, or from the oldest retained, serialized. */
  events: SerializedEvent[];
}

/**
 * Events a follower reads from the log at a time. Live events that arrive meanwhile wait in a
 * buffer of the same size; past it they are dropped there and read from the log instead.
 */
const FOLLOW_PAGE_EVENTS = 100;

/**
 * The port every mechanism is built on: one ordered, replayable log per channel. Drivers (memory,
 * Redis Streams) implement storage and the upstream feed; `follow` — the one way push
 * mechanisms get events — is written once, here, so resume-without-loss is one rule, not six.
 * Async everywhere so a networked driver fits without changing callers.
 */
export abstract class ChannelLog {
  protected readonly logger = new Logger(this.constructor.name);
  private readonly fanout = new LocalFanout(
    (channel, deliver) => this.subscribeUpstream(channel, deliver),
    this.logger,
  );

  abstract publish(channel: string, body: PublishBody): Promise<ChannelEvent>;
  /** The cursor of the newest event: asking after it returns only what comes next. */
  abstract head(channel: string): Promise<string>;
  /** Forgets the channel `seconds` from now (re-armed by each call): job channels expire. */
  abstract expire(channel: string, seconds: number): Promise<void>;

  /**
   * What the channel retains, and up to `limit` events after `after` (exclusive) or, without
   * it, from the oldest retained — taken together, so the reset decision and the page agree.
   */
  protected abstract snapshot(
    channel: string,
    after: string | undefined,
    limit: number,
  ): Promise<Snapshot>;
  /** Opens the driver's live feed for a channel; called once per channel per process. */
  protected abstract subscribeUpstream(
    channel: string,
    deliver: (event: SharedEvent) => void,
  ): Promise<Unsubscribe>;
  /** Whether the driver can serve now (Redis reachable); `/api/ready` answers 503 while not. */
  abstract isReady(): boolean;
  /** Closes connections; called once at shutdown. */
  async close(): Promise<void> {}

  /**
   * Events after `after` (omitted: from the oldest retained), at most `limit` and, past the first,
   * at most `maxBytes` of JSON. The cursor rules live here, once, for every driver: see `mustReset`.
   */
  async read(
    channel: string,
    after: string | undefined,
    limit: number,
    maxBytes = Infinity,
  ): Promise<Page> {
    const page = await this.readSerialized(channel, after, limit, maxBytes);
    // Remembered, so `follow` frames a backlog event around its stored JSON, not a re-stringify.
    return { ...page, events: page.events.map(parseRemembered) };
  }

  /** `read`, with the events left as their stored JSON (nothing parsed). */
  async readSerialized(
    channel: string,
    after: string | undefined,
    limit: number,
    maxBytes = Infinity,
  ): Promise<SerializedPage> {
    const cursor = after === undefined ? undefined : parseCursor(after); // 400 on a non-cursor
    const continuing = cursor && !isBeforeEverything(cursor) ? after : undefined;
    let { retained, events } = await this.snapshot(channel, continuing, limit);
    const reset = cursor !== undefined && mustReset(cursor, retained);
    if (reset && continuing)
      ({ retained, events } = await this.snapshot(channel, undefined, limit));

    const page = withinBytes(events, maxBytes);
    const last = page[page.length - 1];
    const more =
      last !== undefined && retained !== undefined && parseCursor(last.id).seq < retained.lastSeq;
    const pageCursor = last?.id ?? (reset || after === undefined ? restartCursor(retained) : after);
    return {
      events: page,
      cursor: pageCursor,
      ...(more && { more: true }),
      ...(reset && { reset: true }),
    };
  }

  /**
   * Every event after `after` (omitted: from the oldest retained), read page by page until the
   * log says there is no `more`. If history is trimmed past the reader between two pages, what was
   * read before the gap is dropped and the answer is a reset from the oldest retained event — the
   * same answer `read` gives a stale cursor, so a gap is never silent and never in the middle.
   */
  async readAll(
    channel: string,
    after: string | undefined,
    pageSize = MAX_PAGE_LIMIT,
  ): Promise<Backlog> {
    let page = await this.read(channel, after, pageSize);
    const events = [...page.events];
    let reset = page.reset;
    while (page.more) {
      page = await this.read(channel, page.cursor, pageSize);
      if (page.reset) {
        events.length = 0;
        reset = true;
      }
      events.push(...page.events);
    }
    return { events, cursor: page.cursor, ...(reset && { reset: true }) };
  }

  /** How many upstream feeds this process holds: one per followed channel, however many followers. */
  upstreamCount(): number {
    return this.fanout.size();
  }

  /**
   * Backlog after `after`, then live events, with nothing lost or doubled in between: subscribe
   * first and buffer, read the backlog page by page (paced by the reader, if it says how), then
   * release the buffered events newer than the last one delivered.
   */
  async follow(
    channel: string,
    after: string | undefined,
    handlers: FollowHandlers,
  ): Promise<Unsubscribe> {
    return this.followShared(channel, after, {
      ...handlers,
      onEvent: (event) => handlers.onEvent(event.event),
    });
  }

  /**
   * `follow` for a follower that writes what it gets on a wire: live events come as the one
   * `SharedEvent` the fan-out hands every follower, so each wire's frame is built once per event
   * in this process; a backlog event, read for this follower alone, is framed around its stored
   * JSON too.
   */
  async followShared(
    channel: string,
    after: string | undefined,
    handlers: SharedFollowHandlers,
  ): Promise<Unsubscribe> {
    /** The last event delivered, as numbers: compared for every event, parsed once per event. */
    let last: Cursor | undefined;
    let live = false;
    let closed = false;
    let buffered: SharedEvent[] = [];
    /** Live events were dropped from the buffer since the current read began: read again. */
    let overflowed = false;

    const deliver = (event: SharedEvent): void => {
      if (closed) return;
      const at = event.position;
      if (last !== undefined && (at.epoch - last.epoch || at.seq - last.seq) <= 0) return;
      last = at;
      handlers.onEvent(event);
    };
    const unsubscribe = await this.fanout.add(channel, (event) => {
      if (live) return deliver(event);
      if (buffered.length < FOLLOW_PAGE_EVENTS) return void buffered.push(event);
      // A slow replay must not hold every live event meanwhile: they are in the log already.
      buffered = [];
      overflowed = true;
    });
    const stop = () => {
      closed = true;
      unsubscribe();
    };

    try {
      const { pacing } = handlers;
      let cursor = after;
      let page: Page;
      do {
        overflowed = false;
        // Through `read`, the one seam every reader of the log goes through (tests race it).
        page = await this.read(channel, cursor, FOLLOW_PAGE_EVENTS, pacing?.maxPageBytes);
        // Trimmed past the reader (even between two pages): said once, then from the oldest.
        if (page.reset)
          handlers.onReset?.(page.events[0] ? cursorBefore(page.events[0].id) : page.cursor);
        for (const event of page.events) {
          deliver(new SharedEvent(storedFormOf(event), event));
          const ready = pacing?.ready() ?? true;
          if (ready !== true && !(await ready)) {
            stop();
            return stop;
          }
        }
        cursor = page.cursor;
      } while (page.more || overflowed);
    } catch (error) {
      stop();
      throw error;
    }

    buffered.forEach(deliver);
    buffered = [];
    live = true;
    return stop;
  }
}

/** With nothing to return, a restarted reader stands just before the oldest retained event. */
function restartCursor(retained: Retained | undefined): string {
  return retained ? formatCursor(retained.epoch, retained.oldestSeq - 1) : BEFORE_EVERYTHING;
}

/** The longest prefix within `maxBytes` of JSON, but never empty: one event always makes progress. */
function withinBytes(events: SerializedEvent[], maxBytes: number): SerializedEvent[] {
  if (maxBytes === Infinity) return events;
  let bytes = 0;
  const fits = events.findIndex((event, i) => (bytes += wireBytes(event)) > maxBytes && i > 0);
  return fits === -1 ? events : events.slice(0, fits);
}
