import type { StreamFrame } from '@pushpull/contracts';
import type { FrameFormat } from '../../channels/frame-format';

const line = (frame: StreamFrame) => `${JSON.stringify(frame)}\n`;

/** application/x-ndjson: one JSON frame a line, discriminated by `kind`. */
export const ndjsonFormat: FrameFormat = {
  contentType: 'application/x-ndjson; charset=utf-8',
  preamble: () => '',
  event: (event) => line({ kind: 'event', event }),
  reset: (cursor) => line({ kind: 'reset', cursor }),
  heartbeat: (ts) => line({ kind: 'heartbeat', ts }),
  closing: ({ code, reason }) => line({ kind: 'closing', code, reason }),
};
