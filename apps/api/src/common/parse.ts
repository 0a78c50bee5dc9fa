import { ChannelNameSchema, isServerOnlyChannel, type ErrorCode } from '@pushpull/contracts';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** Validates untrusted input with a contract schema; failure is an ApiError with `code`. */
export function parseOr<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw ApiError.fromZod(code, what, result.error);
  return result.data;
}

export function parseChannel(value: unknown): string {
  return parseOr(ChannelNameSchema, value, 'invalid_channel', 'channel');
}

/** A channel a client may write to: `job:` channels belong to the server. */
export function parseWritableChannel(value: unknown): string {
  const channel = parseChannel(value);
  if (isServerOnlyChannel(channel)) {
    throw new ApiError('forbidden', `Channel "${channel}" is written only by the server`);
  }
  return channel;
}
