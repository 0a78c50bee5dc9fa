import type { ChannelEvent, PublishBody } from '@pushpull/contracts';
import { ChannelLog, type Snapshot, type Unsubscribe } from './channel-log';
import { BEFORE_EVERYTHING, formatCursor, parseCursor } from './cursor';

interface ChannelHistory {
  /** When this life of the channel began: the time part of every id it hands out. */
  epoch: number;
  /** Oldest first; at most `historySize` long. */
  events: ChannelEvent[];
  lastSeq: number;
}

/**
 * The zero-set-up driver: history in this process's memory, bounded per channel. Ids are
 * `<epoch>-<seq>` with the epoch fixed when a channel's history begins, exactly like the Redis
 * driver's stream ids — so a cursor from before a restart, or from an expired and recreated
 * channel, is recognised as foreign and answered with a reset instead of a silent gap.
 */
export class MemoryChannelLog extends ChannelLog {
  private readonly channels = new Map<string, ChannelHistory>();
  private readonly feeds = new Map<string, (event: ChannelEvent) => void>();
  private readonly expiries = new Map<string, NodeJS.Timeout>();
  private lastEpoch = 0;

  constructor(
    private readonly historySize: number,
    private readonly now: () => number = Date.now,
  ) {
    super();
  }

  async publish(channel: string, body: PublishBody): Promise<ChannelEvent> {
    let history = this.channels.get(channel);
    if (!history) {
      history = { epoch: this.nextEpoch(), events: [], lastSeq: 0 };
      this.channels.set(channel, history);
    }
    history.lastSeq += 1;
    const event: ChannelEvent = {
      id: formatCursor(history.epoch, history.lastSeq),
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

  async head(channel: string): Promise<string> {
    return this.channels.get(channel)?.events.at(-1)?.id ?? BEFORE_EVERYTHING;
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

  isReady(): boolean {
    return true;
  }

  protected async snapshot(
    channel: string,
    after: string | undefined,
    limit: number,
  ): Promise<Snapshot> {
    const history = this.channels.get(channel);
    if (!history) return { retained: undefined, events: [] };
    const oldestSeq = history.lastSeq - history.events.length + 1;
    // A foreign `after` gives a meaningless start here; the caller resets and asks again.
    const start = after === undefined ? 0 : Math.max(0, parseCursor(after).seq - oldestSeq + 1);
    return {
      retained: { epoch: history.epoch, oldestSeq, lastSeq: history.lastSeq },
      events: history.events.slice(start, start + limit),
    };
  }

  protected async subscribeUpstream(
    channel: string,
    deliver: (event: ChannelEvent) => void,
  ): Promise<Unsubscribe> {
    this.feeds.set(channel, deliver);
    return () => this.feeds.delete(channel);
  }

  /** Strictly increasing, so a channel recreated within the same millisecond still gets a new one. */
  private nextEpoch(): number {
    this.lastEpoch = Math.max(this.now(), this.lastEpoch + 1);
    return this.lastEpoch;
  }
}
