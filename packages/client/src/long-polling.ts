// Long polling: ask for events after the cursor and let the server hold the request until one
// arrives (200) or `wait` runs out (204); then ask again at once, from the new cursor. A 204 with
// `X-Closing: shutdown` is a drain letting the request go: the supervisor reconnects after a
// jittered wait instead, to a fallback origin if there is one.
import {
  CLOSING_HEADER,
  DEFAULT_LONG_POLL_WAIT_S,
  PageSchema,
  paths,
  withQuery,
} from '@pushpull/contracts';
import { BaseSubscription, type TransportContext } from './base-subscription';
import { ClientError } from './errors';
import { authHeaders, request } from './http';
import { parseContract } from './parse';
import type { ConnectOptions } from './types';

export class LongPollingSubscription extends BaseSubscription {
  constructor(options: ConnectOptions) {
    super('long-polling', options);
  }

  protected async run(context: TransportContext): Promise<void> {
    // The first request of a run does not wait, so `open` shows as soon as the server answers.
    let wait = 0;
    while (!context.signal.aborted) {
      const url =
        this.baseUrl + withQuery(paths.longPoll(this.channel), { after: this.cursor, wait });
      const answer = await request(
        this.fetch,
        url,
        { headers: authHeaders(this.token), signal: context.signal, cache: 'no-store' },
        context.wire,
      );
      context.countRequest();
      context.countBytes(answer.bytes);
      if (answer.status !== 200 && answer.status !== 204)
        throw ClientError.fromResponse(answer.status, answer.text);
      context.opened();
      wait = this.options.waitS ?? DEFAULT_LONG_POLL_WAIT_S;
      if (answer.status === 204) {
        if (answer.headers.get(CLOSING_HEADER) === 'shutdown') {
          context.wire({
            direction: 'in',
            summary: `closing: shutdown (${CLOSING_HEADER} on 204)`,
          });
          throw ClientError.shutdown('The server is shutting down');
        }
        continue; // nothing yet: ask again with the same cursor
      }

      const page = parseContract(PageSchema, answer.text, 'page');
      if (page.reset) context.reset(page.cursor);
      context.deliver(page.events);
      context.advance(page.cursor);
    }
  }
}
