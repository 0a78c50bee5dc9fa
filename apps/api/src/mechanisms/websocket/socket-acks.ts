import { Logger } from '@nestjs/common';
import type { AckError } from '@pushpull/contracts';
import { ApiError } from '../../common/api-error';

const logger = new Logger('RealtimeGateway');

/**
 * Runs a socket handler and answers its ack: the result, or `{ ok: false, error }` with the same
 * codes and body as HTTP. Acks are sent by hand (`@Ack()`), not returned: Nest would read a
 * returned `{ ok, event }` as "emit an event named <event>". Unknown failures are logged and
 * answered `internal`. A client that sent no ack callback simply gets no answer.
 */
export async function answerAck<T>(ack: unknown, handler: () => Promise<T>): Promise<void> {
  let answer: T | AckError;
  try {
    answer = await handler();
  } catch (error) {
    if (!(error instanceof ApiError)) logger.error(error instanceof Error ? error.stack : error);
    const apiError =
      error instanceof ApiError ? error : new ApiError('internal', 'Internal server error');
    answer = { ok: false, error: apiError.toBody().error };
  }
  if (typeof ack === 'function') ack(answer);
}
