// nchan's long poll as a lean subscriber: its cursor is not a query parameter but the answer's
// `Last-Modified` and `Etag`, sent back as `If-Modified-Since` and `If-None-Match`. One answer
// carries every message past the cursor (with `nchan_longpoll_multipart_response raw`, each
// followed by a newline); at its subscriber timeout nchan answers 408, and the same cursor asks
// again. No cursor means "from the oldest kept message", like the API without `after`.
import { LeanHeldPoll } from './lean-held-poll';
import { get, readBody } from './lean-http';
import { readStamps } from './stamp';
import type { OnStamp, Target } from './types';

export class LeanNchanLongPoll extends LeanHeldPoll {
  private cursor: { lastModified: string; etag: string } | undefined;

  constructor(
    private readonly target: Target,
    private readonly onStamp: OnStamp,
  ) {
    super();
  }

  protected connect(): void {
    this.requests += 1;
    const headers: Record<string, string> = this.cursor
      ? { 'If-Modified-Since': this.cursor.lastModified, 'If-None-Match': this.cursor.etag }
      : {};
    const request = get(
      this.target.url,
      headers,
      (response) => {
        if (request !== this.request) return;
        if (response.statusCode === 408 || response.statusCode === 304) {
          response.resume();
          return this.answered();
        }
        if (response.statusCode !== 200) {
          response.resume();
          return this.reconnect();
        }
        const lastModified = response.headers['last-modified'];
        const etag = response.headers.etag;
        readBody(response, (body) => {
          if (request !== this.request) return;
          readStamps(body, this.onStamp);
          if (lastModified && etag) this.cursor = { lastModified, etag };
          this.answered();
        });
      },
      () => request === this.request && this.reconnect(),
    );
    this.hold(request);
  }
}
