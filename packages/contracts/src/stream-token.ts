import { z } from 'zod';

/**
 * Stream tokens: JWTs (HS256, signed with the API's STREAM_TOKEN_SECRET) that say which `private:`
 * channels their bearer may read and write. The application's own backend mints them (it knows the
 * user); the API only verifies. This file is the part every side shares: the claims and the rule
 * that says whether a claim covers a channel. Nothing here touches a secret, so it is browser-safe.
 */
export const STREAM_TOKEN_ALGORITHM = 'HS256';

/** The cookie that carries a stream token to GET routes (EventSource cannot send headers). */
export const STREAM_TOKEN_COOKIE = 'pushpull_token';

/**
 * A channel pattern: an exact channel name, or a prefix ending in `*` (`private:user:alice:*`).
 * Patterns are not validated as channel names: a pattern nothing matches grants nothing.
 */
export const ChannelPatternSchema = z.string().max(256);

export const StreamTokenClaimsSchema = z.object({
  /** Who the token speaks for (a user id): rate limits count per `sub`, logs name it. */
  sub: z.string().min(1),
  /** Expiry, seconds since the epoch (JWT NumericDate). Required: a token that never expires is refused. */
  exp: z.number(),
  /** Channels the bearer may read. */
  subscribe: z.array(ChannelPatternSchema),
  /** Channels the bearer may write; none when absent. */
  publish: z.array(ChannelPatternSchema).optional(),
});
export type StreamTokenClaims = z.infer<typeof StreamTokenClaimsSchema>;

/** What a client wants to do with a channel, and the claim that must allow it. */
export type ChannelAction = 'subscribe' | 'publish';

/**
 * Whether any pattern allows `channel`. A pattern ending in `*` is a prefix: it covers every
 * channel that starts with what precedes the `*` (`private:user:alice:*` covers
 * `private:user:alice:inbox`, not `private:user:alice` nor `private:user:alicex`: put the
 * separator before the `*`). Any other pattern is an exact name. A `*` anywhere else is a literal
 * character, which no channel name contains.
 */
export function covers(patterns: readonly string[] | undefined, channel: string): boolean {
  return (patterns ?? []).some((pattern) =>
    pattern.endsWith('*') ? channel.startsWith(pattern.slice(0, -1)) : pattern === channel,
  );
}

/** Whether the claims let their bearer do `action` on `channel`. */
export function grants(claims: StreamTokenClaims, action: ChannelAction, channel: string): boolean {
  return covers(claims[action], channel);
}
