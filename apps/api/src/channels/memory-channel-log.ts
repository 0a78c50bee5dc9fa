import type { ChannelEvent, PublishBody } from '@pushpull/contracts';
import { ChannelLog, type Snapshot, type Unsubscribe } from './channel-log';
import { ChannelHistory } from './channel-history';
import { BEFORE_EVERYTHING, parseCursor } from './cursor';
import { serializeEvent } from './serialized-event';
import { SharedEvent } from './shared-event';

export interface RetentionLimits {
  /** MAX_RETAINED_BYTES: every channel's events and bookkeeping together, as V8 holds them. */
  maxRetainedBytes: number;
  /** CHANNEL_TTL_S in ms: a channel not written for this long is forgotten. */
  channelTtlMs: number;
  /** How often forgotten channels are swept from memory; at most 10 s, the contract's slack. */
  sweepMs: number;
  now: () => number;
}

const DEFAULT_LIMITS: RetentionLimits = {
  maxRetainedBytes: 256 * 1024 * 1024,
  channelTtlMs: 86_400_000,
  sweepMs: 10_000,
  now: Date.now,
};

/**
 * The zero-set-up driver: history in this process's memory, bounded per channel (`historySize`),
 * in total (`maxRetainedBytes`) and in time (`channelTtlMs`). Ids are `<epoch>-<seq>` with the
 * epoch fixed when a channel's history begins, exactly like the Redis driver's stream ids — so a
 * cursor from before a restart, or from a forgotten and recreated channel, is recognised as
 * foreign and answered with a reset instead of a silent gap.
 *
 * Over the byte bound, whole channels that nobody follows go first, least recently written first
 * (they are what nobody is waiting for); then the oldest events of any channel. A followed channel
 * keeps its epoch and sequence even with no events left, so its followers' cursors stay good.
 */
export class MemoryChannelLog extends ChannelLog {
  /** Least recently written first: every write moves its channel to the end. */
  private readonly channels = new Map<string, ChannelHistory>();
  private readonly feeds = new Map<string, (event: SharedEvent) => void>();
  private readonly limits: RetentionLimits;
  private readonly sweeper: NodeJS.Timeout;
  private retainedBytes = 0;
  private lastEpoch = 0;

  constructor(
    private readonly historySize: number,
    limits: Partial<RetentionLimits> = {},
  ) {
    super();
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    const sweepMs = Math.min(this.limits.sweepMs, this.limits.channelTtlMs);
    this.sweeper = setInterval(() => this.sweep(), sweepMs).unref();
  }

  async publish(channel: string, body: PublishBody): Promise<ChannelEvent> {
    const now = this.limits.now();
    let history = this.live(channel, now);
    if (history)
      this.channels.delete(channel); // set again below: now the most recently written
    else {
      history = new ChannelHistory(this.nextEpoch(now), now);
      this.retainedBytes += history.bytes;
    }
    this.channels.set(channel, history);
    history.expiresAt = now + this.limits.channelTtlMs;

    const event: ChannelEvent = { id: history.nextId(), channel, ...body, ts: now };
    // Serialized once: the stored form is also what every follower's frame is built around.
    const json = serializeEvent(event);
    this.retainedBytes += history.append(json, now);
    if (history.length > this.historySize) this.retainedBytes -= history.dropOldest();
    this.evictOverBound(channel);
    // Handed to the followers on the next turn of the loop, once the publisher's answer is on its
    // way: at ten thousand followers the fan-out takes a good part of a second, which a publisher
    // need not wait for (Redis's feed is asynchronous too). Turns run in order, so events do.
    const deliver = this.feeds.get(channel);
    if (deliver) setImmediate(deliver, new SharedEvent({ id: event.id, json }, event));
    return event;
  }

  async head(channel: string): Promise<string> {
    const history = this.live(channel, this.limits.now());
    return history && history.lastSeq > 0 ? history.head : BEFORE_EVERYTHING;
  }

  async expire(channel: string, seconds: number): Promise<void> {
    const now = this.limits.now();
    const history = this.live(channel, now);
    if (history) history.expiresAt = now + seconds * 1000;
  }

  isReady(): boolean {
    return true;
  }

  override async close(): Promise<void> {
    clearInterval(this.sweeper);
  }

  /** What the log holds now: the count MAX_RETAINED_BYTES bounds, and the channels it spans. */
  retained(): { bytes: number; channels: number } {
    return { bytes: this.retainedBytes, channels: this.channels.size };
  }

  /** Forgets every channel whose time is up; runs on a timer, and on demand in tests. */
  sweep(): void {
    const now = this.limits.now();
    for (const [channel, history] of this.channels)
      if (history.expiresAt <= now) this.forget(channel, history);
  }

  protected async snapshot(
    channel: string,
    after: string | undefined,
    limit: number,
  ): Promise<Snapshot> {
    const history = this.live(channel, this.limits.now());
    if (!history) return { retained: undefined, events: [] };
    const afterSeq = after === undefined ? undefined : parseCursor(after).seq;
    return { retained: history.retained, events: history.page(afterSeq, limit) };
  }

  protected async subscribeUpstream(
    channel: string,
    deliver: (event: SharedEvent) => void,
  ): Promise<Unsubscribe> {
    this.feeds.set(channel, deliver);
    return () => this.feeds.delete(channel);
  }

  /** The channel's history, unless its time is up (then it is forgotten here, before the sweep). */
  private live(channel: string, now: number): ChannelHistory | undefined {
    const history = this.channels.get(channel);
    if (history && history.expiresAt <= now) {
      this.forget(channel, history);
      return undefined;
    }
    return history;
  }

  private forget(channel: string, history: ChannelHistory): void {
    this.channels.delete(channel);
    this.retainedBytes -= history.bytes;
  }

  /** Brings the count back under the bound after a write to `writing` (never dropped whole). */
  private evictOverBound(writing: string): void {
    const bound = this.limits.maxRetainedBytes;
    for (const [channel, history] of this.channels) {
      if (this.retainedBytes <= bound) return;
      if (channel !== writing && !this.feeds.has(channel)) this.forget(channel, history);
    }
    while (this.retainedBytes > bound) {
      const [oldest, runnerUp] = this.twoOldest();
      if (!oldest) return; // only bookkeeping of followed channels is left
      // Drop from this channel until another one holds the oldest event.
      do this.retainedBytes -= oldest.dropOldest();
      while (this.retainedBytes > bound && oldest.length > 0 && oldest.oldestTime <= runnerUp);
    }
  }

  /** The channel holding the oldest event, and the publish time of the oldest event elsewhere. */
  private twoOldest(): [ChannelHistory | undefined, number] {
    let oldest: ChannelHistory | undefined;
    let runnerUp = Infinity;
    for (const history of this.channels.values()) {
      if (history.length === 0) continue;
      if (!oldest || history.oldestTime < oldest.oldestTime) {
        runnerUp = oldest?.oldestTime ?? Infinity;
        oldest = history;
      } else runnerUp = Math.min(runnerUp, history.oldestTime);
    }
    return [oldest, runnerUp];
  }

  /** Strictly increasing, so a channel recreated within the same millisecond still gets a new one. */
  private nextEpoch(now: number): number {
    this.lastEpoch = Math.max(now, this.lastEpoch + 1);
    return this.lastEpoch;
  }
}
