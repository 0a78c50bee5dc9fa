import type { ErrorBody } from '@pushpull/contracts';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SECURITY_HEADERS } from '../../common/security-headers';

/** The one method of engine.io's server this wraps: every HTTP request under `/socket.io/`. */
export interface EngineRequests {
  handleRequest(request: IncomingMessage, response: ServerResponse): void;
}

/** engine.io's own refusal body, e.g. `{ "code": 1, "message": "Session ID unknown" }`. */
function engineRefusal(body: string): { message: string } | undefined {
  try {
    const parsed = JSON.parse(body) as { code?: unknown; message?: unknown };
    return typeof parsed.code === 'number' && typeof parsed.message === 'string'
      ? { message: parsed.message }
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * engine.io answers a bad transport, an unknown session or an old protocol version itself, in a
 * shape of its own and without the API's security headers. Every answer under `/socket.io/` gets
 * those headers, and each refusal the contract's `{ error: { code, message } }` body (code
 * `invalid_body`: none of the contract's codes names "not a socket.io request").
 */
export function answerEngineErrorsInContract(engine: EngineRequests): void {
  const handle = engine.handleRequest.bind(engine);
  engine.handleRequest = (request, response) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const end = response.end.bind(response) as (chunk?: unknown) => ServerResponse;
    response.end = ((chunk?: unknown) => {
      const refusal =
        response.statusCode >= 400 && typeof chunk === 'string' ? engineRefusal(chunk) : undefined;
      if (!refusal) return end(chunk);
      const body: ErrorBody = { error: { code: 'invalid_body', message: refusal.message } };
      return end(JSON.stringify(body));
    }) as ServerResponse['end'];
    handle(request, response);
  };
}
