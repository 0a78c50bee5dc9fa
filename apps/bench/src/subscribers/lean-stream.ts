import type { ClientRequest } from 'node:http';
import { LeanSubscriber } from './lean-base';
import { get } from './lean-http';
import type { OnStamp, Target } from './types';

/**
 * A subscriber over one long GET whose body is a stream of frames (SSE, NDJSON): the request,
 * its reconnect on a non-200, an end or an error, and the text carried over between chunks. A
 * wire says where to ask (with its cursor) and how to cut and read the text.
 */
export abstract class LeanStream extends LeanSubscriber {
  private request: ClientRequest | undefined;
  /** Text received after the last whole frame, kept for the next chunk. */
  protected pending = '';

  constructor(
    protected readonly target: Target,
    protected readonly onStamp: OnStamp,
  ) {
    super();
  }

  /** The URL and headers of the next request, resuming from the last id seen. */
  protected abstract nextRequest(): { url: string; headers: Record<string, string> };
  /** Takes a chunk of the body: whole frames are read, the rest kept in `pending`. */
  protected abstract read(chunk: string): void;

  protected connect(): void {
    this.requests += 1;
    this.pending = '';
    const { url, headers } = this.nextRequest();
    const request = get(
      url,
      headers,
      (response) => {
        if (request !== this.request) return;
        if (response.statusCode !== 200) {
          response.resume();
          return this.reconnect();
        }
        this.open = true;
        this.healthy();
        response.on('data', (chunk: string) => this.read(chunk));
        response.on('end', () => request === this.request && this.reconnect());
        response.on('error', () => request === this.request && this.reconnect());
      },
      () => request === this.request && this.reconnect(),
    );
    this.request = request;
  }

  protected disconnect(): void {
    const request = this.request;
    this.request = undefined;
    request?.destroy();
  }
}
