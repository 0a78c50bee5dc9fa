import type { ClientRequest } from 'node:http';
import { LeanSubscriber } from './lean-base';

/**
 * A long poll's lifecycle, whatever its wire spells as the cursor: one request held at a time, the
 * next sent the moment one is answered, and open once the request is on the wire (an event
 * published from then on is answered on it, or waits in the log for the next).
 */
export abstract class LeanHeldPoll extends LeanSubscriber {
  protected request: ClientRequest | undefined;

  protected hold(request: ClientRequest): void {
    request.on('finish', () => (this.open = true));
    this.request = request;
  }

  protected answered(): void {
    this.healthy();
    this.request = undefined;
    this.connect();
  }

  protected disconnect(): void {
    const request = this.request;
    this.request = undefined;
    request?.destroy();
  }
}
