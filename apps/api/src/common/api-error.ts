import {
  ERROR_STATUS,
  toErrorDetails,
  type ErrorBody,
  type ErrorCode,
  type ErrorDetail,
} from '@pushpull/contracts';
import type { z } from 'zod';

/**
 * The one error type of the API: a contract code, a message a person can act on, and the HTTP
 * status that goes with the code. The exception filter and socket acks both turn it into the wire.
 */
export class ApiError extends Error {
  readonly status: number;
  /** Headers that belong with this answer on HTTP (`Retry-After` on a 429, `WWW-Authenticate` on a 401); sockets have none. */
  readonly headers: Record<string, string> = {};

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }

  static fromZod(code: ErrorCode, what: string, issues: readonly z.core.$ZodIssue[]): ApiError {
    const details = toErrorDetails(issues);
    const first = details[0];
    const reason = first
      ? `${first.path === '(root)' ? '' : `${first.path}: `}${first.message}`
      : 'invalid';
    return new ApiError(code, `Invalid ${what}: ${reason}`, details);
  }

  withHeaders(headers: Record<string, string>): this {
    Object.assign(this.headers, headers);
    return this;
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details && { details: this.details }),
      },
    };
  }
}
