import { z } from 'zod';

export const MECHANISM_IDS = [
  'polling',
  'long-polling',
  'sse',
  'streaming',
  'websocket',
  'message-queue',
] as const;
export const MechanismIdSchema = z.enum(MECHANISM_IDS);
export type MechanismId = z.infer<typeof MechanismIdSchema>;

export interface MechanismInfo {
  id: MechanismId;
  title: string;
  /** One line: how data reaches the browser. */
  summary: string;
  /** Pull: the client asks; push: the server sends when it has something. */
  direction: 'pull' | 'push';
}

export const MECHANISMS: Record<MechanismId, MechanismInfo> = {
  polling: {
    id: 'polling',
    title: 'HTTP pull (short polling)',
    summary:
      'The browser asks again every interval; the server answers at once, 304 when unchanged.',
    direction: 'pull',
  },
  'long-polling': {
    id: 'long-polling',
    title: 'Long polling',
    summary:
      'The browser asks; the server holds the request until an event arrives or time runs out.',
    direction: 'push',
  },
  sse: {
    id: 'sse',
    title: 'Server-Sent Events (EventSource)',
    summary:
      'One long-lived text/event-stream response; the browser reconnects with Last-Event-ID.',
    direction: 'push',
  },
  streaming: {
    id: 'streaming',
    title: 'Streaming over HTTP (NDJSON)',
    summary: 'One chunked response of JSON lines read with fetch and a ReadableStream.',
    direction: 'push',
  },
  websocket: {
    id: 'websocket',
    title: 'WebSockets (socket.io)',
    summary: 'A socket.io connection carries subscribe, publish and pushed events both ways.',
    direction: 'push',
  },
  'message-queue': {
    id: 'message-queue',
    title: 'Message queue (jobs and workers)',
    summary: 'The browser submits a job once; workers report progress back over the channel log.',
    direction: 'push',
  },
};
