import type { FastifyReply, FastifyRequest } from 'fastify';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { ApiError } from './api-error';
import { errorAnswer } from './client-error-handler';

/*
 * Two requests Node would answer itself with an empty body, answered in the contract's shape
 * instead (code `invalid_body`: no other code names them).
 */

/** RFC 9112 §3.2: an HTTP/1.1 request without Host is answered 400 (a Fastify onRequest hook). */
export async function refuseMissingHost(request: FastifyRequest, reply: FastifyReply) {
  if (request.raw.httpVersion !== '1.1' || request.headers.host !== undefined) return;
  const error = new ApiError('invalid_body', 'An HTTP/1.1 request needs a Host header');
  return reply.status(error.status).header('Cache-Control', 'no-store').send(error.toBody());
}

/**
 * `Expect` other than `100-continue` is answered 417 by Node with an empty body; answering it
 * here keeps the contract's shape. (Node handles `100-continue` itself.)
 */
export function answerFailedExpectations(server: Server): void {
  server.on('checkExpectation', (request: IncomingMessage, response: ServerResponse) => {
    const expectation = String(request.headers.expect).slice(0, 64);
    const error = new ApiError(
      'invalid_body',
      `Expect: ${expectation} is not supported; only 100-continue is`,
    );
    const { headers, body } = errorAnswer(error);
    response.writeHead(417, headers).end(body);
  });
}
