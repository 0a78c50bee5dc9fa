import { z } from 'zod';
import { ChannelNameSchema, WritableChannelSchema } from './channel';
import type { ApiErrorPayload } from './errors';
import { CursorSchema, PublishBodySchema, type ChannelEvent } from './events';

/**
 * socket.io on namespace `/realtime`. The same schemas and error codes as HTTP; every answer comes
 * back in the ack, so a client never has to match replies to requests by hand.
 */
export const SubscribeRequestSchema = z.object({
  channel: ChannelNameSchema,
  after: CursorSchema.optional(),
});
export type SubscribeRequest = z.infer<typeof SubscribeRequestSchema>;

export const UnsubscribeRequestSchema = z.object({ channel: ChannelNameSchema });
export type UnsubscribeRequest = z.infer<typeof UnsubscribeRequestSchema>;

export const SocketPublishRequestSchema = PublishBodySchema.extend({
  channel: WritableChannelSchema,
});
export type SocketPublishRequest = z.infer<typeof SocketPublishRequestSchema>;

/**
 * `auth({ token }, ack)`: replaces the socket's stream token (the handshake's `auth.token`) on a
 * live socket, so a client renews before `exp` instead of being disconnected.
 */
export const AuthRequestSchema = z.object({ token: z.string().min(1).max(8192) });
export type AuthRequest = z.infer<typeof AuthRequestSchema>;

/** What a socket.io client sends as its handshake `auth`. */
export interface HandshakeAuth {
  token?: string;
}

export type AckError = { ok: false; error: ApiErrorPayload };
/**
 * One page of the backlog: at most 1000 events and SLOW_READER_MAX_BYTES of them (never fewer than
 * one). `more: true` says there is more backlog: subscribe again from `cursor`.
 */
export type SubscribeAck =
  { ok: true; events: ChannelEvent[]; cursor: string; more?: true; reset?: true } | AckError;
export type UnsubscribeAck = { ok: true } | AckError;
export type PublishAck = { ok: true; event: ChannelEvent } | AckError;
export type AuthAck = { ok: true } | AckError;

/** Why the server ends a stream or socket; each one means "resume from your last id". */
export const CLOSING_CODES = ['slow_consumer', 'shutdown', 'token_expired'] as const;
export const ClosingSchema = z.object({ code: z.enum(CLOSING_CODES), reason: z.string() });
export type Closing = z.infer<typeof ClosingSchema>;

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (answer: SubscribeAck) => void) => void;
  unsubscribe: (request: UnsubscribeRequest, ack: (answer: UnsubscribeAck) => void) => void;
  publish: (request: SocketPublishRequest, ack: (answer: PublishAck) => void) => void;
  auth: (request: AuthRequest, ack: (answer: AuthAck) => void) => void;
}

export interface ServerToClientEvents {
  event: (event: ChannelEvent) => void;
  /** Sent just before the server disconnects the socket, so the client knows why and resumes. */
  closing: (closing: Closing) => void;
}
