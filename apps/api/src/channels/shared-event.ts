import type { ChannelEvent } from '@pushpull/contracts';
import { parseCursor, type Cursor } from './cursor';
import { httpChunk } from './http-chunk';
import { parseEvent, type SerializedEvent } from './serialized-event';

/** Builds one wire's frame for an event from its stored JSON (see `FrameFormat.event`). */
export type EventEncoder = (event: SerializedEvent) => string;

/**
 * One event as this process hands it to its followers: the JSON it was stored as, and each wire's
 * frame for it, built by the first follower that asks and then shared by every other one. A
 * thousand SSE readers of one channel cost one frame, not a thousand `JSON.stringify` calls and
 * a thousand UTF-8 encodings; the bytes are the same for all, so writing them needs no copy.
 *
 * Nothing keeps it but the followers still delivering it: the fan-out makes one per live event
 * and drops it after the last listener, so frames are never held in a map that could grow.
 */
export class SharedEvent {
  /** At most one frame per wire: the key is the encoder, which each format makes once. */
  private readonly frames = new Map<EventEncoder, Buffer>();
  /** The same frames as HTTP/1.1 chunks, for the streams that write them on the socket. */
  private readonly chunks = new Map<EventEncoder, Buffer>();
  private parsed: ChannelEvent | undefined;
  private cursor: Cursor | undefined;
  private jsonBytes: number | undefined;

  constructor(
    readonly serialized: SerializedEvent,
    /** The event as an object, when the publisher still has it (else parsed on first use). */
    event?: ChannelEvent,
  ) {
    this.parsed = event;
  }

  get id(): string {
    return this.serialized.id;
  }

  /** Its id as numbers, which every follower compares with the last event it was handed. */
  get position(): Cursor {
    return (this.cursor ??= parseCursor(this.serialized.id));
  }

  /** The event as an object (socket.io encodes it itself): parsed at most once. */
  get event(): ChannelEvent {
    return (this.parsed ??= parseEvent(this.serialized));
  }

  /** UTF-8 bytes of the JSON: what a wire that frames it itself (socket.io) adds per event. */
  get bytes(): number {
    return (this.jsonBytes ??= Buffer.byteLength(this.serialized.json));
  }

  /** The event's frame on one wire, as UTF-8 bytes: built once, the same Buffer for everyone. */
  frame(encode: EventEncoder): Buffer {
    let frame = this.frames.get(encode);
    if (!frame) {
      frame = Buffer.from(encode(this.serialized));
      this.frames.set(encode, frame);
    }
    return frame;
  }

  /** The frame as one HTTP/1.1 chunk (`EventStream`'s socket writes): also built once. */
  chunk(encode: EventEncoder): Buffer {
    let chunk = this.chunks.get(encode);
    if (!chunk) {
      chunk = httpChunk(this.frame(encode));
      this.chunks.set(encode, chunk);
    }
    return chunk;
  }
}
