import type { FastifyInstance } from 'fastify';
import { ApiError } from './api-error';

/**
 * Body parsing, owned here instead of by Nest (`bodyParser: false`):
 * - JSON goes through Fastify's own parser, with its failures turned into the contract's
 *   `invalid_json` (Nest would pass them on as anonymous 400s). Prototype-poisoning keys
 *   (`__proto__`, `constructor.prototype`) are valid JSON, so the parser keeps them as plain data
 *   and the contract's schemas refuse them (`invalid_body`): one rule for HTTP and socket.io alike,
 *   where a parser-level refusal would answer the same payload differently on each wire;
 * - any other media type is kept as raw text (within `bodyLimit`) so the route decides, after
 *   checking the channel, whether to answer 415. A bad channel is reported first, whatever the body.
 */
export function useContractBodyParsers(fastify: FastifyInstance): void {
  // Every body with JSON in it is checked by a contract schema, which refuses those keys.
  const parseJson = fastify.getDefaultJsonParser('ignore', 'ignore');
  fastify.removeContentTypeParser(['application/json', 'text/plain']);
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') {
      done(
        new ApiError(
          'invalid_json',
          'Body is empty; send a JSON object like {"type":"message","data":{}}',
        ),
      );
      return;
    }
    parseJson(request, body as string, (error, value) => {
      if (error) done(new ApiError('invalid_json', 'Body is not valid JSON'));
      else done(null, value);
    });
  });
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
}
