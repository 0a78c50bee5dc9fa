import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { ErrorCode } from '@pushpull/contracts';
import type { FastifyReply } from 'fastify';
import type { Metrics } from '../metrics/metrics';
import { ApiError } from './api-error';

/**
 * Nest hands Fastify's own errors (raised before a handler runs: body too large, unsupported
 * media type) to this filter as plain HttpExceptions, so they are recognised by status.
 */
const BY_STATUS: Partial<Record<number, ErrorCode>> = {
  400: 'invalid_body',
  403: 'forbidden',
  404: 'not_found',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};

/**
 * Every error on every route leaves as `{ error: { code, message, details? } }`. Unknown errors are
 * logged and answered 500 `internal` without a stack trace.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ApiExceptionFilter');

  constructor(
    private readonly maxEventBytes: number,
    private readonly metrics: Metrics,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    // The client left mid-request (an upload cut off, a timed-out body): nobody is there to
    // answer, and leaving is not a server error: one line, no stack trace, a count in /metrics.
    if (reply.raw.socket?.destroyed !== false) {
      this.metrics.requestAbandoned();
      const { method, url } = host.switchToHttp().getRequest<{ method: string; url: string }>();
      this.logger.log(`client went away mid-request: ${method} ${url.slice(0, 200)}`);
      return;
    }
    const error = this.toApiError(exception);
    // An unexpected failure gets its stack; an expected 5xx (`unavailable`: Redis away, or not
    // ready while draining) is a state the API reports on purpose, worth one line.
    if (error.status >= 500 && !(exception instanceof ApiError))
      this.logger.error(exception instanceof Error ? exception.stack : exception);
    else if (error.status >= 500) this.logger.warn(`${error.code}: ${error.message}`);
    // A stream (SSE, NDJSON) may fail after its headers went out: then all we can do is end it.
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.end();
      return;
    }
    void reply
      .status(error.status)
      .headers(error.headers)
      .header('Cache-Control', 'no-store')
      .send(error.toBody());
  }

  toApiError(exception: unknown): ApiError {
    if (exception instanceof ApiError) return exception;
    if (!(exception instanceof HttpException))
      return new ApiError('internal', 'Internal server error');
    const code = BY_STATUS[exception.getStatus()];
    switch (code) {
      case undefined:
        return new ApiError('internal', 'Internal server error');
      case 'payload_too_large':
        return new ApiError(
          code,
          `Request body is larger than MAX_EVENT_BYTES (${this.maxEventBytes} bytes)`,
        );
      case 'unsupported_media_type':
        return new ApiError(code, 'Send the body as Content-Type: application/json');
      default:
        return new ApiError(code, exception.message);
    }
  }
}
