import { ClientError, publish } from '@pushpull/client';
import { PageSchema, paths, withQuery, type ChannelEvent } from '@pushpull/contracts';

/** What a publish may meet while an instance, Redis or the proxy's upstream is away. */
const PASSING_STATUSES = new Set([502, 503, 504]);

/** A failed publish, kept to count and explain the retries. */
export interface Refusal {
  text: string;
  reason: string;
  /** When the answer came (epoch ms). */
  at: number;
}

/**
 * Publishes `<label> 1`, `<label> 2` … one after another, every `everyMs`, until `stop()`: the
 * traffic a fault is injected into. A publish that meets a passing failure (nothing listening, a
 * 502/503/504) is sent again until it is answered 201, and only then does the next text go out, so
 * the texts are stored in the order they are numbered.
 *
 * Sending again is safe when the first attempt was not stored, which is what those answers say:
 * the API answers 503 `unavailable` before it writes, and nginx answers 502 when no instance took
 * the connection (it never passes a publish that reached one to another). It is not proven for
 * every race (Redis going away between its write and its answer), so `duplicates()` looks for a
 * text stored twice, under two ids, and the specs fail naming it.
 */
export class Publisher {
  /** Every publish answered 201, in order. */
  readonly stored: ChannelEvent[] = [];
  readonly refusals: Refusal[] = [];
  private running = false;
  private loop: Promise<void> = Promise.resolve();
  private next = 1;

  constructor(
    private readonly origin: string,
    readonly channel: string,
    private readonly label: string,
    private readonly everyMs = 150,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  /** Lets the publish in progress end (after its retries), then stops; throws what the loop met. */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  get texts(): string[] {
    return this.stored.map(textOf);
  }

  /** Resolves once `count` more publishes than now have been stored. */
  async publishMore(count: number, timeoutMs = 30_000): Promise<void> {
    const target = this.stored.length + count;
    const deadline = Date.now() + timeoutMs;
    while (this.stored.length < target) {
      if (!this.running) throw new Error('the publisher has stopped');
      if (Date.now() > deadline)
        throw new Error(`fewer than ${count} publishes stored within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  /**
   * The channel's log as the API holds it, oldest first (one page: the specs publish fewer events
   * than HISTORY_SIZE and the page limit).
   */
  async log(): Promise<ChannelEvent[]> {
    const url = this.origin + withQuery(paths.poll(this.channel), { limit: 1000 });
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    return PageSchema.parse(await response.json()).events;
  }

  /** Texts the log holds more than once: a publish stored although its answer was a failure. */
  async duplicates(): Promise<string[]> {
    const texts = (await this.log()).map(textOf);
    return [...new Set(texts.filter((text, i) => texts.indexOf(text) !== i))];
  }

  private async run(): Promise<void> {
    while (this.running) {
      const text = `${this.label} ${this.next++}`;
      for (;;) {
        try {
          this.stored.push(
            await publish(this.origin, this.channel, { type: 'message', data: { text } }),
          );
          break;
        } catch (error) {
          if (!isPassing(error)) throw error;
          this.refusals.push({ text, reason: describe(error), at: Date.now() });
          await sleep(100);
        }
      }
      await sleep(this.everyMs);
    }
  }
}

export function textOf(event: ChannelEvent): string {
  const data = event.data as { text?: unknown } | null;
  return typeof data?.text === 'string' ? data.text : JSON.stringify(event.data);
}

function isPassing(error: unknown): boolean {
  if (!(error instanceof ClientError)) return false;
  return (
    error.code === 'network_error' ||
    (error.status !== undefined && PASSING_STATUSES.has(error.status))
  );
}

function describe(error: unknown): string {
  if (error instanceof ClientError)
    return error.status === undefined ? error.code : `${error.status} ${error.code}`;
  return String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
