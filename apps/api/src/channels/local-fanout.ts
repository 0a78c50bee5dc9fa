import type { LoggerService } from '@nestjs/common';
import type { SharedEvent } from './shared-event';

export type Unsubscribe = () => void;
type Listener = (event: SharedEvent) => void;
type OpenUpstream = (channel: string, deliver: Listener) => Promise<Unsubscribe>;

interface ChannelFeed {
  listeners: Set<Listener>;
  upstream: Promise<Unsubscribe>;
}

/**
 * One upstream subscription per channel in this process, fanned out to every local listener: a
 * thousand SSE clients on one channel cost the backplane one subscription, not a thousand. Every
 * listener is handed the same `SharedEvent`, so what one builds for its wire the others reuse.
 */
export class LocalFanout {
  private readonly feeds = new Map<string, ChannelFeed>();

  constructor(
    private readonly openUpstream: OpenUpstream,
    private readonly logger: LoggerService,
  ) {}

  size(): number {
    return this.feeds.size;
  }

  async add(channel: string, listener: Listener): Promise<Unsubscribe> {
    let feed = this.feeds.get(channel);
    if (!feed) {
      const listeners = new Set<Listener>();
      const upstream = this.openUpstream(channel, (event) =>
        this.dispatch(channel, listeners, event),
      );
      feed = { listeners, upstream };
      this.feeds.set(channel, feed);
      upstream.catch(() => this.feeds.get(channel) === feed && this.feeds.delete(channel));
    }
    feed.listeners.add(listener);
    await feed.upstream;

    const current = feed;
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      current.listeners.delete(listener);
      if (current.listeners.size > 0 || this.feeds.get(channel) !== current) return;
      this.feeds.delete(channel);
      void current.upstream.then((close) => close());
    };
  }

  private dispatch(channel: string, listeners: Set<Listener>, event: SharedEvent): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        // One broken follower must not starve the others on the same channel.
        this.logger.error(`listener on ${channel} threw: ${String(error)}`);
      }
    }
  }
}
