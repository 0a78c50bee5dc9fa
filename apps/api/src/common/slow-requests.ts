import type { AppConfig } from '../config/app-config';

/**
 * Node's own bounds on receiving a request (answered 408 by `answerUnparsableRequest`):
 * `headersTimeout` for the headers, `requestTimeout` for headers and body. Both stop counting once
 * the request is in, so a stream or a held long poll may answer for as long as it likes.
 * Node checks them every `connectionsCheckingInterval` (30 s by default, so a 10 s bound would
 * really be up to 40 s); checking a few times per bound keeps the cut close to the setting.
 * `requireHostHeader` is off so a request without Host reaches `refuseMissingHost` (in
 * protocol-errors.ts) and gets a body: Node's own refusal is an empty 400.
 */
export function slowRequestOptions(config: AppConfig) {
  const headersTimeout = Math.min(config.HEADERS_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
  return {
    requestTimeout: config.REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout,
      connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(headersTimeout / 4))),
      requireHostHeader: false,
    },
  };
}
