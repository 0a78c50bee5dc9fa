import { z } from 'zod';
import { ChannelEventSchema } from './events';
import { ClosingSchema } from './socket';
import { AfterParamSchema, PageLimitSchema } from './pages';

/**
 * Frames of the NDJSON stream (`GET /api/stream/:channel`): one JSON object a line, told apart by
 * `kind`. Control frames never look like events, so a reader switches on `kind` alone.
 */
export const StreamFrameSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('event'), event: ChannelEventSchema }),
  z.object({ kind: z.literal('heartbeat'), ts: z.number() }),
  z.object({ kind: z.literal('reset'), cursor: z.string() }),
  z.object({ kind: z.literal('closing'), code: ClosingSchema.shape.code, reason: z.string() }),
]);
export type StreamFrame = z.infer<typeof StreamFrameSchema>;

/**
 * Named SSE events for control frames. Channel events carry no `event:` line (they arrive as plain
 * `message`s), so these names can never collide with a user's event type.
 */
export const SSE_CONTROL_EVENTS = { reset: 'reset', closing: 'closing' } as const;
/** `data:` of the SSE `reset` frame; its `id:` is the same cursor, for the browser's own reconnect. */
export const SseResetSchema = z.object({ cursor: z.string() });

/** `GET /api/sse/:channel?after=` and `GET /api/stream/:channel?after=`. */
export const StreamQuerySchema = z.object({ after: AfterParamSchema });

export const DEFAULT_LONG_POLL_WAIT_S = 25;

/**
 * `GET /api/long-poll/:channel?after=&wait=&limit=`. `wait` is in seconds (fractions allowed); the
 * server clamps it to its LONG_POLL_MAX_WAIT_S.
 */
export const LongPollQuerySchema = z.object({
  after: AfterParamSchema,
  limit: PageLimitSchema,
  wait: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z.coerce
      .number('wait must be a number of seconds')
      .min(0, 'wait must not be negative')
      .default(DEFAULT_LONG_POLL_WAIT_S),
  ),
});
export type LongPollQuery = z.infer<typeof LongPollQuerySchema>;

/**
 * On a long poll's 204, the server's reason for answering early: `shutdown` when a drain let the
 * held request go (the client reconnects after a full-jitter delay, to a fallback origin if it has
 * one). Absent when `wait` simply ran out (ask again at once). Exposed to browsers through CORS.
 */
export const CLOSING_HEADER = 'X-Closing';

/** `GET /api/connections`: what this API instance holds open right now. */
export const ConnectionCountsSchema = z.object({
  longPollWaiters: z.number(),
  /** Open SSE and NDJSON responses, and connected sockets on the socket.io namespace. */
  streams: z.object({ sse: z.number(), streaming: z.number(), websocket: z.number() }),
  /** One per followed channel, however many followers: the backplane subscriptions. */
  upstreamFeeds: z.number(),
  slowConsumersCut: z.number(),
});
export type ConnectionCounts = z.infer<typeof ConnectionCountsSchema>;
