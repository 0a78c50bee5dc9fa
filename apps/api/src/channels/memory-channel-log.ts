import type { ChannelEvent, Page, PublishBody } from '@pushpull/contracts';
import { ApiError } from '../common/api-error';
import { ChannelLog, type Unsubscribe } from './channel-log';

interface ChannelHistory {
  /** Oldest first; at most `historySize` long. */
  events: ChannelEvent[];
  lastSeq: number;
}

const CURSOR = /^(\d{1,16})-(\d{1,16})$/;

/**
 * The zero-set-up driver: history in this process's memory, bounded per channel. Ids are
 * `<epoch>-<seq>`: `epoch` is this process's start, so a cursor from before a restart is
 * recognised as foreign and answered with a reset instead of a silent gap.
 */
export class MemoryChannelLog extends ChannelLog {
  private readonly channels = new Map<string, ChannelHistory>();
  private readonly feeds = new Map<string, (event: ChannelEvent) => void>();
  private readonly expiries = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly historySize: number,
    private readonly epoch: number = Date.now(),
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async publish(channel: string, body: PublishBody): Promise<ChannelEvent> {
    let history = this.channels.get(channel);
    if (!history) {
      history = { events: [], lastSeq: 0 };
      this.channels.set(channel, history);
    }
    history.lastSeq += 1;
    const event: ChannelEvent = {
      id: this.idOf(history.lastSeq),
      channel,
      type: body.type,
      data: body.data,
      ts: this.now(),
    };
    history.events.push(event);
    if (history.events.length > this.historySize) history.events.shift();
    this.feeds.get(channel)?.(event);
    return event;
  }

  async read(channel: string, after: string | undefined, limit: number): Promise<Page> {
    const history = this.channels.get(channel) ?? { events: [], lastSeq: 0 };
    const oldestSeq = history.lastSeq - history.events.length + 1;

    let start = 0;
    let reset = false;
    if (after !== undefined) {
      const cursor = this.parseCursor(after);
      // Another epoch, trimmed away, or from the future: restart at the oldest retained event.
      reset =
        cursor.epoch !== this.epoch || cursor.seq < oldestSeq - 1 || cursor.seq > history.lastSeq;
      if (!reset) start = cursor.seq - oldestSeq + 1;
    }

    const events = history.events.slice(start, start + limit);
    const more = start + events.length < history.events.length;
    const last = events[events.length - 1];
    const cursor = last?.id ?? (reset || after === undefined ? this.restartCursor(history) : after);
    return { events, cursor, ...(more && { more: true }), ...(reset && { reset: true }) };
  }

  async head(channel: string): Promise<string> {
    return this.idOf(this.channels.get(channel)?.lastSeq ?? 0);
  }

  async expire(channel: string, seconds: number): Promise<void> {
    clearTimeout(this.expiries.get(channel));
    const timer = setTimeout(() => {
      this.channels.delete(channel);
      this.expiries.delete(channel);
    }, seconds * 1000);
    timer.unref();
    this.expiries.set(channel, timer);
  }

  protected async subscribeUpstream(
    channel: string,
    deliver: (event: ChannelEvent) => void,
  ): Promise<Unsubscribe> {
    this.feeds.set(channel, deliver);
    return () => this.feeds.delete(channel);
  }

  protected compareIds(a: string, b: string): number {
    return this.parseCursor(a).seq - this.parseCursor(b).seq;
  }

  protected cursorBefore(id: string): string {
    return this.idOf(this.parseCursor(id).seq - 1);
  }

  /** With nothing to return, a restarted reader stands just before the oldest retained event. */
  private restartCursor(history: ChannelHistory): string {
    return this.idOf(history.lastSeq - history.events.length);
  }

  private idOf(seq: number): string {
    return `${this.epoch}-${seq}`;
  }

  private parseCursor(cursor: string): { epoch: number; seq: number } {
    const match = CURSOR.exec(cursor);
    if (!match) {
      throw new ApiError(
        'invalid_cursor',
        `"${cursor.slice(0, 64)}" is not a cursor: pass back an event id or a head you were given`,
      );
    }
    return { epoch: Number(match[1]), seq: Number(match[2]) };
  }
}
