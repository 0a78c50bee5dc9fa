import { ErrorBodySchema, type ErrorCode } from '@pushpull/contracts';

/**
 * Codes the API answers, plus what can go wrong before an answer arrives, plus `server_shutdown`:
 * the server said `closing: shutdown` (or a long poll's 204 carried `X-Closing: shutdown`). Not a
 * failure: the supervisor reconnects after a short full-jitter delay, to a fallback if it has one.
 */
export type ClientErrorCode = ErrorCode | 'network_error' | 'bad_response' | 'server_shutdown';

/** The one error type clients see: surface `code`, show `message`. */
export class ClientError extends Error {
  /** The error an attempt ends with when the server says it is shutting down. */
  static shutdown(reason: string): ClientError {
    return new ClientError('server_shutdown', reason);
  }

  constructor(
    readonly code: ClientErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ClientError';
  }

  /** 4xx answers (but 408/429) will not change by asking again: stop instead of retrying. */
  get permanent(): boolean {
    return (
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500 &&
      this.status !== 408 &&
      this.status !== 429
    );
  }

  /** The stream token was refused: a fresh one (`getToken`) may fix what asking again would not. */
  get tokenRefused(): boolean {
    return (
      this.code === 'unauthorized' || this.code === 'token_expired' || this.code === 'forbidden'
    );
  }

  /** The server is draining: reconnect soon (jittered), not a failure to back off from. */
  get serverShutdown(): boolean {
    return this.code === 'server_shutdown';
  }

  /** Reads the contract's `{ error: { code, message } }` from a failed response. */
  static fromResponse(status: number, text: string): ClientError {
    try {
      const parsed = ErrorBodySchema.safeParse(JSON.parse(text));
      if (parsed.success)
        return new ClientError(parsed.data.error.code, parsed.data.error.message, status);
    } catch {
      // not JSON: fall through
    }
    return new ClientError('bad_response', `HTTP ${status} without a contract error body`, status);
  }

  /**
   * Any failure as a ClientError. A body or frame that does not parse (a `SyntaxError` from
   * `JSON.parse`, a `ZodError` from a contract schema) is the server's answer gone wrong, not the
   * network: `bad_response`. Transports parse through `parseContract`, so this is the safety net.
   */
  static from(error: unknown): ClientError {
    if (error instanceof ClientError) return error;
    const message = error instanceof Error ? error.message : String(error);
    if (isParseFailure(error)) return new ClientError('bad_response', message);
    return new ClientError('network_error', message);
  }
}

/** zod is the contracts' dependency, not the client's: its error is known by name. */
function isParseFailure(error: unknown): boolean {
  return error instanceof SyntaxError || (error instanceof Error && error.name === 'ZodError');
}
