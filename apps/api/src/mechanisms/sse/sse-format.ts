import { SSE_CONTROL_EVENTS } from '@pushpull/contracts';
import type { FrameFormat } from '../../channels/frame-format';

/**
 * text/event-stream (WHATWG HTML §9.2). Channel events have no `event:` line, so a generic
 * EventSource gets them as `message` without knowing any types; `id:` is what the browser sends
 * back as Last-Event-ID. JSON never contains a raw newline, so one `data:` line is always enough.
 * An event's `data:` is its stored JSON as it is.
 */
export function sseFormat(retryMs: number): FrameFormat {
  return {
    contentType: 'text/event-stream; charset=utf-8',
    // Jittered per connection (0.5–1.5× the setting): after a server restart the browsers'
    // own reconnects spread out instead of arriving in one wave.
    preamble: () => `retry: ${Math.round(retryMs * (0.5 + Math.random()))}\n\n`,
    event: ({ id, json }) => `id: ${id}\ndata: ${json}\n\n`,
    reset: (cursor) =>
      `event: ${SSE_CONTROL_EVENTS.reset}\nid: ${cursor}\ndata: ${JSON.stringify({ cursor })}\n\n`,
    // A comment line: ignored by EventSource, but it keeps bytes moving through idle proxies.
    heartbeat: () => `: ping\n\n`,
    closing: (closing) =>
      `event: ${SSE_CONTROL_EVENTS.closing}\ndata: ${JSON.stringify(closing)}\n\n`,
  };
}
