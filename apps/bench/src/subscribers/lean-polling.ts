// Polling as a lean subscriber: GET the page after the cursor every interval, with the last
// answer's ETag in If-None-Match while the URL is the same (an idle poll is a bodiless 304). A
// page's stamps and cursor are read from its text; `more` asks again at once.
import type { ClientRequest } from 'node:http';
import { LeanSubscriber } from './lean-base';
import { get, readBody, withQuery } from './lean-http';
import { lastString, readStamps } from './stamp';
import type { LeanOptions, OnStamp, Target } from './types';

export class LeanPolling extends LeanSubscriber {
  private request: ClientRequest | undefined;
  private next: NodeJS.Timeout | undefined;
  private cursor: string | undefined;
  private etag: { url: string; value: string } | undefined;

  constructor(
    private readonly target: Target,
    private readonly onStamp: OnStamp,
    private readonly options: LeanOptions,
  ) {
    super();
  }

  protected connect(): void {
    this.requests += 1;
    const url = withQuery(this.target.url, { after: this.cursor });
    const headers: Record<string, string> = {};
    if (this.etag?.url === url) headers['If-None-Match'] = this.etag.value;
    const request = get(
      url,
      headers,
      (response) => {
        if (request !== this.request) return;
        if (response.statusCode === 304) {
          response.resume();
          return this.answered(false);
        }
        if (response.statusCode !== 200) {
          response.resume();
          return this.reconnect();
        }
        const etag = response.headers.etag;
        readBody(response, (body) => {
          if (request !== this.request) return;
          this.etag = etag ? { url, value: etag } : undefined;
          readStamps(body, this.onStamp);
          this.cursor = lastString(body, 'cursor') ?? this.cursor;
          this.answered(body.includes('"more":true'));
        });
      },
      () => request === this.request && this.reconnect(),
    );
    this.request = request;
  }

  private answered(more: boolean): void {
    this.open = true;
    this.healthy();
    this.request = undefined;
    this.next = setTimeout(() => this.connect(), more ? 0 : this.options.pollIntervalMs);
  }

  protected disconnect(): void {
    clearTimeout(this.next);
    const request = this.request;
    this.request = undefined;
    request?.destroy();
  }
}
