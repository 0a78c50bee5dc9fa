// Long polling as a lean subscriber: GET the page after the cursor with `wait`; the server answers
// 200 at once when events exist after it, else as soon as one arrives, else 204 at `wait`. Either
// way the next request goes out at once.
import { LeanHeldPoll } from './lean-held-poll';
import { get, readBody, withQuery } from './lean-http';
import { lastString, readStamps } from './stamp';
import type { OnStamp, Target } from './types';

/** Seconds the server may hold a request: under the API's LONG_POLL_MAX_WAIT_S in the bench. */
const WAIT_S = '25';

export class LeanLongPolling extends LeanHeldPoll {
  private cursor: string | undefined;

  constructor(
    private readonly target: Target,
    private readonly onStamp: OnStamp,
  ) {
    super();
  }

  protected connect(): void {
    this.requests += 1;
    const request = get(
      withQuery(this.target.url, { after: this.cursor, wait: WAIT_S }),
      {},
      (response) => {
        if (request !== this.request) return;
        if (response.statusCode === 204) {
          response.resume();
          return this.answered();
        }
        if (response.statusCode !== 200) {
          response.resume();
          return this.reconnect();
        }
        readBody(response, (body) => {
          if (request !== this.request) return;
          readStamps(body, this.onStamp);
          this.cursor = lastString(body, 'cursor') ?? this.cursor;
          this.answered();
        });
      },
      () => request === this.request && this.reconnect(),
    );
    this.hold(request);
  }
}
