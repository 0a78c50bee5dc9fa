import type { Closing } from '@pushpull/contracts';
import type { EventEncoder } from './shared-event';

/**
 * How one streaming mechanism spells each frame on its wire. The core (`EventStream`) writes
 * frames through it; each mechanism's folder holds its own spelling (`sse-format.ts`,
 * `ndjson-format.ts`), so the core never depends on a mechanism.
 */
export interface FrameFormat {
  contentType: string;
  /** Written once, right after the headers. */
  preamble(): string;
  /**
   * An event's frame, around the JSON it was stored as (never stringified again). Built once per
   * event per process and shared by every follower (`SharedEvent.frame`), so it must not vary
   * by connection, and it must be the same function each time (it keys the shared frames).
   */
  event: EventEncoder;
  reset(cursor: string): string;
  heartbeat(ts: number): string;
  closing(closing: Closing): string;
}
