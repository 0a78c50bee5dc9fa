import type { Subscriber } from './types';

/**
 * What every lean subscriber shares: its counters and a reconnect after a short randomized delay
 * (so a server restart is not answered by 10 000 reconnects in the same millisecond). Resume is the
 * subclass's: each wire sends its own cursor.
 */
export abstract class LeanSubscriber implements Subscriber {
  open = false;
  requests = 0;
  reconnects = 0;
  protected closed = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Opens the connection (or sends the first request); called again after every failure. */
  protected abstract connect(): void;
  /** Drops the live connection or request, if any. */
  protected abstract disconnect(): void;

  start(): this {
    this.connect();
    return this;
  }

  /** The wire answered as expected: the next failure starts from the shortest delay again. */
  protected healthy(): void {
    this.failures = 0;
  }

  /** The connection ended or failed: connect again, resuming from the last id seen. */
  protected reconnect(): void {
    if (this.closed || this.timer) return;
    this.disconnect();
    this.reconnects += 1;
    const ceiling = Math.min(2000, 100 * 2 ** this.failures++);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (!this.closed) this.connect();
    }, Math.random() * ceiling);
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    this.disconnect();
  }
}
