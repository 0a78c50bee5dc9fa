import {
  EMPTY_STATS,
  type StatusChange,
  type SubscriptionStats,
  type WireEntry,
} from '@pushpull/client';
import type { ChannelEvent } from '@pushpull/contracts';

/** Bounds that keep a long-running page light: the feed and the wire log are windows, not archives. */
export const MAX_FEED_ENTRIES = 200;
export const MAX_WIRE_LINES = 100;

/** The wire log with `entry` added on top (newest first, bounded), and the next line key. */
export function withWireLine(
  view: { wire: WireLine[]; nextWireKey: number },
  entry: WireEntry,
): { wire: WireLine[]; nextWireKey: number } {
  return {
    wire: [{ key: view.nextWireKey, entry }, ...view.wire].slice(0, MAX_WIRE_LINES),
    nextWireKey: view.nextWireKey + 1,
  };
}

/** One line of the live feed: a delivered event, or a note that history was reset. */
export type FeedEntry =
  { kind: 'event'; key: string; event: ChannelEvent } | { kind: 'reset'; key: string };

/** A wire entry with a stable React key (entries have no id of their own). */
export interface WireLine {
  key: number;
  entry: WireEntry;
}

/** Everything a mechanism page shows about one subscription. */
export interface SubscriptionView {
  connection: StatusChange;
  /** Oldest first, as the events arrived. */
  feed: FeedEntry[];
  /** Newest first, as a log is read. */
  wire: WireLine[];
  stats: SubscriptionStats;
  resets: { count: number; lastCursor?: string };
  offline: boolean;
  nextWireKey: number;
}

export type SubscriptionAction =
  | { type: 'restart' }
  | { type: 'status'; change: StatusChange }
  | { type: 'event'; event: ChannelEvent }
  | { type: 'wire'; entry: WireEntry }
  | { type: 'reset'; cursor: string }
  | { type: 'stats'; stats: SubscriptionStats }
  | { type: 'offline'; offline: boolean };

export const INITIAL_VIEW: SubscriptionView = {
  connection: { status: 'connecting' },
  feed: [],
  wire: [],
  stats: EMPTY_STATS,
  resets: { count: 0 },
  offline: false,
  nextWireKey: 0,
};

function sameStats(a: SubscriptionStats, b: SubscriptionStats): boolean {
  const keys = Object.keys({ ...a, ...b }) as Array<keyof SubscriptionStats>;
  return keys.every((key) => a[key] === b[key]);
}

function appendToFeed(feed: FeedEntry[], entry: FeedEntry): FeedEntry[] {
  return [...feed, entry].slice(-MAX_FEED_ENTRIES);
}

export function reduceSubscriptionView(
  view: SubscriptionView,
  action: SubscriptionAction,
): SubscriptionView {
  switch (action.type) {
    case 'restart':
      return INITIAL_VIEW;
    case 'status':
      return { ...view, connection: action.change };
    case 'event':
      return {
        ...view,
        feed: appendToFeed(view.feed, { kind: 'event', key: action.event.id, event: action.event }),
      };
    case 'wire':
      return { ...view, ...withWireLine(view, action.entry) };
    case 'reset': {
      const count = view.resets.count + 1;
      const note: FeedEntry = { kind: 'reset', key: `reset-${count}` };
      return {
        ...view,
        feed: appendToFeed(view.feed, note),
        resets: { count, lastCursor: action.cursor },
      };
    }
    case 'stats':
      // The stats timer ticks every 500 ms; an unchanged snapshot must not re-render the page.
      return sameStats(view.stats, action.stats) ? view : { ...view, stats: action.stats };
    case 'offline':
      return { ...view, offline: action.offline };
  }
}
