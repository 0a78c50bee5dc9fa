import {
  ChannelNameSchema,
  WritableChannelSchema,
  declaredErrorCode,
  type ErrorCode,
} from '@pushpull/contracts';
import { z } from 'zod';
import { ApiError } from './api-error';

/**
 * Validates untrusted input with a contract schema; failure is an ApiError with `code`, unless the
 * broken rule names its own code (a server-only channel is `forbidden`, not `invalid_channel`).
 */
export function parseOr<S extends z.ZodType>(
  schema: S,
  value: unknown,
  code: ErrorCode,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw zodError(result.error.issues, code, what);
  return result.data;
}

export function parseChannel(value: unknown): string {
  return parseOr(ChannelNameSchema, value, 'invalid_channel', 'channel');
}

/** A channel a client may write to: `job:` channels belong to the server. */
export function parseWritableChannel(value: unknown): string {
  return parseOr(WritableChannelSchema, value, 'invalid_channel', 'channel');
}

/**
 * Which part of a socket payload answers with which code, in the order HTTP finds them: the
 * channel (in HTTP's path, so judged before any body), the cursor, then the rest of the body.
 */
const PAYLOAD_FIELDS: ReadonlyArray<{ field: string; code: ErrorCode; what: string }> = [
  { field: 'channel', code: 'invalid_channel', what: 'channel' },
  { field: 'after', code: 'invalid_cursor', what: 'cursor' },
];

/**
 * A socket.io payload checked against its contract schema — the same schemas HTTP bodies go
 * through — and refused with the code HTTP gives the same mistake.
 */
export function parsePayload<S extends z.ZodType>(
  schema: S,
  payload: unknown,
  what: string,
): z.infer<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  for (const { field, code, what: name } of PAYLOAD_FIELDS) {
    const issues = result.error.issues.filter((issue) => issue.path[0] === field);
    if (issues.length > 0) throw zodError(issues, code, name);
  }
  throw zodError(result.error.issues, 'invalid_body', what);
}

function zodError(issues: z.core.$ZodIssue[], code: ErrorCode, what: string): ApiError {
  const first = issues[0];
  return ApiError.fromZod((first && declaredErrorCode(first)) ?? code, what, issues);
}
