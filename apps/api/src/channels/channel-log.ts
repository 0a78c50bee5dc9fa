import {
  MAX_PAGE_LIMIT,
  type ChannelEvent,
  type Page,
  type PublishBody,
} from '@pushpull/contracts';
import { Logger } from '@nestjs/common';
import {
  BEFORE_EVERYTHING,
  compareCursors,
  cursorBefore,
  formatCursor,
  isBeforeEverything,
  mustReset,
  parseCursor,
  type Retained,
} from './cursor';
import { LocalFanout, type Unsubscribe } from './local-fanout';

export interface FollowHandlers {
  /** Each event once, in order: the backlog after the cursor, then live events. */
  onEvent(event: ChannelEvent): void;
  /**
   * The cursor was older than retained history (or from another epoch): delivery restarts at the
   * oldest retained event. `cursor` is where the follower now stands, before that event.
   */
  onReset?(cursor: string): void;
}

export type { Unsubscribe };

/** Everything after a cursor, read to the end: a page that was never cut. */
export type Backlog = Omit<Page, 'more'>;

/** What a driver reads in one consistent look at a channel. */
export interface Snapshot {
  /** Undefined when the channel holds no events (never written, or expired). */
  retained: Retained | undefined;
  /** At most `limit` events after the given id, or from the oldest retained. */
  events: ChannelEvent[];
}

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
    deliver: (event: ChannelEvent) => void,
  ): Promise<Unsubscribe>;
  /** Whether the driver can serve now (Redis reachable); `/api/ready` answers 503 while not. */
  abstract isReady(): boolean;
  /** Closes connections; called once at shutdown. */
  async close(): Promise<void> {}

  /**
   * Events after `after` (omitted: from the oldest retained), at most `limit`. The cursor rules
   * live here, once, for every driver: see `mustReset`.
   */
  async read(channel: string, after: string | undefined, limit: number): Promise<Page> {
    const cursor = after === undefined ? undefined : parseCursor(after); // 400 on a non-cursor
    const continuing = cursor && !isBeforeEverything(cursor) ? after : undefined;
    let { retained, events } = await this.snapshot(channel, continuing, limit);
    const reset = cursor !== undefined && mustReset(cursor, retained);
    if (reset && continuing)
      ({ retained, events } = await this.snapshot(channel, undefined, limit));

    const last = events[events.length - 1];
    const more =
      last !== undefined && retained !== undefined && parseCursor(last.id).seq < retained.lastSeq;
    const pageCursor = last?.id ?? (reset || after === undefined ? restartCursor(retained) : after);
    return {
      events,
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
   * first and buffer, read the whole backlog, then release the buffered events newer than
   * the last one delivered.
   */
  async follow(
    channel: string,
    after: string | undefined,
    handlers: FollowHandlers,
  ): Promise<Unsubscribe> {
    let lastId: string | undefined;
    let live = false;
    let closed = false;
    const buffered: ChannelEvent[] = [];

    const deliver = (event: ChannelEvent): void => {
      if (closed || (lastId !== undefined && compareCursors(event.id, lastId) <= 0)) return;
      lastId = event.id;
      handlers.onEvent(event);
    };
    const unsubscribe = await this.fanout.add(channel, (event) =>
      live ? deliver(event) : buffered.push(event),
    );

    try {
      const backlog = await this.readAll(channel, after);
      if (backlog.reset)
        handlers.onReset?.(backlog.events[0] ? cursorBefore(backlog.events[0].id) : backlog.cursor);
      backlog.events.forEach(deliver);
    } catch (error) {
      unsubscribe();
      throw error;
    }

    buffered.forEach(deliver);
    buffered.length = 0;
    live = true;
    return () => {
      closed = true;
      unsubscribe();
    };
  }
}

/** With nothing to return, a restarted reader stands just before the oldest retained event. */
function restartCursor(retained: Retained | undefined): string {
  return retained ? formatCursor(retained.epoch, retained.oldestSeq - 1) : BEFORE_EVERYTHING;
}
