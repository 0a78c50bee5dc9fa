import { ERROR_STATUS, type ErrorCode } from '@pushpull/contracts';

/** The web server's own refusals in the API's shape, so the page shows them like any API error. */
export function errorResponse(code: ErrorCode, message: string): Response {
  return Response.json(
    { error: { code, message } },
    { status: ERROR_STATUS[code], headers: { 'Cache-Control': 'no-store' } },
  );
}

/**
 * A token that could not be minted: no usable secret on this server (see stream-token-secret.ts),
 * a configuration fault the operator fixes, so `unavailable` with the reason, never a stack.
 */
export function mintingFailed(error: unknown): Response {
  const reason = error instanceof Error ? error.message : 'the stream token could not be minted';
  return errorResponse('unavailable', reason);
}
