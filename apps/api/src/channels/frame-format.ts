import type { ChannelEvent, Closing } from '@pushpull/contracts';

/**
 * How one streaming mechanism spells each frame on its wire. The core (`EventStream`) writes
 * frames through it; each mechanism's folder holds its own spelling (`sse-format.ts`,
 * `ndjson-format.ts`), so the core never depends on a mechanism.
 */
export interface FrameFormat {
  contentType: string;
  /** Written once, right after the headers. */
  preamble(): string;
  event(event: ChannelEvent): string;
  reset(cursor: string): string;
  heartbeat(ts: number): string;
  closing(closing: Closing): string;
}
