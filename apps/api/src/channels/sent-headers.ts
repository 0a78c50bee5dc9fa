import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';

/**
 * Node's slot for the headers set on a response with `setHeader` (helmet's, the CORS headers Nest
 * copies onto the raw response, the ones `writeHead` merges in): a name/value pair each, in a
 * dictionary, about 3 KiB for a stream's twenty headers. Found by its name on a throwaway response;
 * undefined if a Node version ever names it otherwise (then nothing is freed, nothing breaks).
 */
const OUT_HEADERS = Object.getOwnPropertySymbols(
  new ServerResponse(new IncomingMessage(new Socket())),
).find((symbol) => symbol.description === 'kOutHeaders');

/**
 * Lets go of a response's header map once its head is on the wire. Node keeps it for the
 * response's whole life, only to answer `getHeader`, which a long-lived stream never asks again;
 * null is the slot's own "no headers set" state, which every reader of it handles (`getHeader`
 * answers undefined). What was sent is unchanged: Node renders the head into `_header` first.
 */
export function forgetSentHeaders(response: ServerResponse): void {
  if (!OUT_HEADERS || !response.headersSent) return;
  (response as unknown as Record<symbol, unknown>)[OUT_HEADERS] = null;
}
