import type { Retained } from './cursor';
import { formatCursor } from './cursor';
import { heldBytes, type SerializedEvent } from './serialized-event';

/**
 * What the bookkeeping of one channel costs besides its events (the map entry, this object, its
 * two arrays), measured like `EVENT_OVERHEAD_BYTES` over 100 000 one-event channels. Counted with
 * the events, so a flood of tiny channels is bounded by MAX_RETAINED_BYTES like one of big events.
 */
export const CHANNEL_OVERHEAD_BYTES = 640;

/**
 * One life of one channel in the memory log: its epoch, the serialized events it still holds
 * (oldest first) with their publish times, and what they cost. Events are JSON strings, not
 * object graphs: a string's size is known, an object graph's is not (small objects cost 15–46×
 * their JSON), so the retained-memory bound can count what is really held.
 */
export class ChannelHistory {
  lastSeq = 0;
  /** Bytes held: the events as V8 stores them, plus this channel's bookkeeping. */
  bytes = CHANNEL_OVERHEAD_BYTES;
  private readonly events: string[] = [];
  /** Publish time of each event (ms), beside `events`: the eviction order across channels. */
  private readonly times: number[] = [];

  constructor(
    readonly epoch: number,
    /** When it is forgotten unless written again (ms since the epoch). */
    public expiresAt: number,
  ) {}

  get length(): number {
    return this.events.length;
  }

  /** Publish time of the oldest event held; Infinity when it holds none. */
  get oldestTime(): number {
    return this.times[0] ?? Infinity;
  }

  get head(): string {
    return formatCursor(this.epoch, this.lastSeq);
  }

  get retained(): Retained {
    return { epoch: this.epoch, oldestSeq: this.lastSeq - this.length + 1, lastSeq: this.lastSeq };
  }

  /** The next event's id; `append` its JSON next. */
  nextId(): string {
    return formatCursor(this.epoch, this.lastSeq + 1);
  }

  /** Adds the event `nextId()` named; returns the bytes it holds. */
  append(json: string, time: number): number {
    const bytes = heldBytes(json);
    this.lastSeq += 1;
    this.events.push(json);
    this.times.push(time);
    this.bytes += bytes;
    return bytes;
  }

  /** Forgets the oldest event; returns the bytes that freed. */
  dropOldest(): number {
    const json = this.events.shift();
    this.times.shift();
    if (json === undefined) return 0;
    const bytes = heldBytes(json);
    this.bytes -= bytes;
    return bytes;
  }

  /** Up to `limit` events after seq `afterSeq` (or from the oldest held). */
  page(afterSeq: number | undefined, limit: number): SerializedEvent[] {
    const oldestSeq = this.lastSeq - this.length + 1;
    // A foreign `after` gives a meaningless start here; the caller resets and asks again.
    const start = afterSeq === undefined ? 0 : Math.max(0, afterSeq - oldestSeq + 1);
    return this.events.slice(start, start + limit).map((json, i) => ({
      id: formatCursor(this.epoch, oldestSeq + start + i),
      json,
    }));
  }
}
