import type { StreamFrame } from '@pushpull/contracts';
import type { FrameFormat } from '../../channels/frame-format';

const line = (frame: StreamFrame) => `${JSON.stringify(frame)}\n`;

/**
 * application/x-ndjson: one JSON frame a line, discriminated by `kind`. An event's line is spelled
 * by hand around its stored JSON: the bytes `line({ kind: 'event', event })` would give.
 */
export const ndjsonFormat: FrameFormat = {
  contentType: 'application/x-ndjson; charset=utf-8',
  preamble: () => '',
  event: ({ json }) => `{"kind":"event","event":${json}}\n`,
  reset: (cursor) => line({ kind: 'reset', cursor }),
  heartbeat: (ts) => line({ kind: 'heartbeat', ts }),
  closing: ({ code, reason }) => line({ kind: 'closing', code, reason }),
};
