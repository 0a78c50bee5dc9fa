import { StreamFrameSchema, type StreamFrame } from '@pushpull/contracts';

export interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  retry?: string;
  comment?: string;
}

/** Splits raw text/event-stream into frames (test-side only: the product uses EventSource). */
export function parseSse(text: string): SseFrame[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const frame: SseFrame = {};
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) frame.comment = line.slice(1).trim();
        else {
          const [field, ...rest] = line.split(': ');
          frame[field as 'id' | 'event' | 'data' | 'retry'] = rest.join(': ');
        }
      }
      return frame;
    });
}

export function parseNdjson(text: string): StreamFrame[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => StreamFrameSchema.parse(JSON.parse(line)));
}

/** Completed frames so far (a partial last frame is left out). */
export const completeSse = (text: string) => parseSse(text.slice(0, text.lastIndexOf('\n\n') + 2));
export const completeNdjson = (text: string) =>
  parseNdjson(text.slice(0, text.lastIndexOf('\n') + 1));
