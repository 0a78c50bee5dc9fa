/**
 * Successful parses of untrusted input, kept by the exact text they came from, for inputs that
 * repeat: every poller of a channel asks the same URL until the next event, and every long poll
 * woken by one event asks the same next one. Only what parsed is kept (a failure is parsed again,
 * so its error is built afresh); the parse must be pure — same text, same result — and results
 * are shared by requests, so they are frozen. Bounded: past `capacity` texts it starts over, which
 * costs one parse per text in use.
 */
export class RecentParses<T extends object> {
  private readonly parsed = new Map<string, Readonly<T>>();

  constructor(private readonly capacity = 1024) {}

  /** What `text` parsed to, if it was remembered. */
  peek(text: string): Readonly<T> | undefined {
    return this.parsed.get(text);
  }

  remember(text: string, result: T): void {
    if (this.parsed.size >= this.capacity) this.parsed.clear();
    this.parsed.set(text, Object.freeze(result));
  }

  get size(): number {
    return this.parsed.size;
  }
}
