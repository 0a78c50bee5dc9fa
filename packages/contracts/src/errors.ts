import { z } from 'zod';

/** Every error any route or socket ack can answer. Add codes here, never ad hoc strings. */
export const ERROR_STATUS = {
  invalid_channel: 400,
  invalid_body: 400,
  invalid_json: 400,
  invalid_cursor: 400,
  invalid_query: 400,
  unknown_job_type: 400,
  /** A `private:` channel without a valid stream token (none, malformed, forged, no `exp`). */
  unauthorized: 401,
  /** The stream token was valid but its `exp` has passed: fetch a fresh one and resume. */
  token_expired: 401,
  forbidden: 403,
  not_found: 404,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
  /** A dependency (the Redis backplane) is unreachable: nothing was written; try again. */
  unavailable: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ERROR_CODES = Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]];
export const ErrorCodeSchema = z.enum(ERROR_CODES);

export const ErrorDetailSchema = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetailSchema>;

export const ApiErrorSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.array(ErrorDetailSchema).optional(),
});
export type ApiErrorPayload = z.infer<typeof ApiErrorSchema>;

/** The body of every 4xx/5xx: `{ error: { code, message, details? } }`. */
export const ErrorBodySchema = z.object({ error: ApiErrorSchema });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/**
 * The contract code a schema's rule names for itself (`params: { code }` on a refinement, e.g.
 * `forbidden` for a server-only channel); undefined for ordinary rules, whose code is the caller's.
 */
export function declaredErrorCode(issue: z.core.$ZodIssue): ErrorCode | undefined {
  if (issue.code !== 'custom') return undefined;
  return ErrorCodeSchema.safeParse(issue.params?.code).data;
}

/** Turns zod issues into the contract's `details`: where it went wrong, and what was expected. */
export function toErrorDetails(issues: readonly z.core.$ZodIssue[]): ErrorDetail[] {
  return issues.map((issue) => ({
    path: issue.path.map(String).join('.') || '(root)',
    message: issue.message,
  }));
}
