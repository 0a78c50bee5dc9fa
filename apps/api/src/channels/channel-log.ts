import type { ChannelEvent, Page, PublishBody } from '@pushpull/contracts';
import { Logger } from '@nestjs/common';
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

/**
 * The port every mechanism is built on: one ordered, replayable log per channel. Drivers (memory
 * now, Redis Streams later) implement storage and the upstream feed; `follow` — the one way push
 * mechanisms get events — is written once, here, so resume-without-loss is one rule, not six.
 * Async everywhere so a networked driver fits without changing callers.
 */
export abstract class ChannelLog {
  private readonly logger = new Logger(ChannelLog.name);
  private readonly fanout = new LocalFanout(
    (channel, deliver) => this.subscribeUpstream(channel, deliver),
    this.logger,
  );

  abstract publish(channel: string, body: PublishBody): Promise<ChannelEvent>;
  /** Events after `after` (omitted: from the oldest retained), at most `limit`. */
  abstract read(channel: string, after: string | undefined, limit: number): Promise<Page>;
  /** The cursor of the newest event: asking after it returns only what comes next. */
  abstract head(channel: string): Promise<string>;
  /** Forgets the channel `seconds` from now (re-armed by each call): job channels expire. */
  abstract expire(channel: string, seconds: number): Promise<void>;

  /** Opens the driver's live feed for a channel; called once per channel per process. */
  protected abstract subscribeUpstream(
    channel: string,
    deliver: (event: ChannelEvent) => void,
  ): Promise<Unsubscribe>;
  /** Orders two ids of the same channel (negative, zero, positive). */
  protected abstract compareIds(a: string, b: string): number;
  /** The cursor just before an event: where a reset follower stands until that event arrives. */
  protected abstract cursorBefore(id: string): string;

  /** How many upstream feeds this process holds: one per followed channel, however many followers. */
  upstreamCount(): number {
    return this.fanout.size();
  }

  /**
   * Backlog after `after`, then live events, with nothing lost or doubled in between: subscribe
   * first and buffer, read the backlog page by page, then release the buffered events newer than
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
      if (closed || (lastId !== undefined && this.compareIds(event.id, lastId) <= 0)) return;
      lastId = event.id;
      handlers.onEvent(event);
    };
    const unsubscribe = await this.fanout.add(channel, (event) =>
      live ? deliver(event) : buffered.push(event),
    );

    try {
      let cursor = after;
      for (;;) {
        const page = await this.read(channel, cursor, 1000);
        if (page.reset)
          handlers.onReset?.(page.events[0] ? this.cursorBefore(page.events[0].id) : page.cursor);
        page.events.forEach(deliver);
        cursor = page.cursor;
        if (!page.more) break;
      }
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
