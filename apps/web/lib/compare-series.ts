import type { MechanismId } from '@pushpull/contracts';

/** One colour per mechanism, the same in the pane's swatch and in every chart's line. */
export const SERIES_COLORS: Record<MechanismId, string> = {
  polling: '#c2410c',
  'long-polling': '#b8860b',
  sse: '#1f5fbf',
  streaming: '#0f8a7e',
  websocket: '#7c3aed',
  'message-queue': '#be185d',
};

/** Short names for chart legends, where the full titles would not fit six across. */
export const SERIES_LABELS: Record<MechanismId, string> = {
  polling: 'Polling',
  'long-polling': 'Long polling',
  sse: 'SSE',
  streaming: 'Streaming',
  websocket: 'WebSocket',
  'message-queue': 'Message queue',
};
