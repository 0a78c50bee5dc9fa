import type { LoggerService } from '@nestjs/common';
import type { Redis } from 'ioredis';

/** One stream entry as ioredis returns it: `[id, [field, value, field, value, …]]`. */
export type StreamEntry = [id: string, fields: string[]];
type XReadReply = [key: string, entries: StreamEntry[]][] | null;

/** Upper bound on one blocking read: a safety net only, since new streams interrupt it at once. */
const BLOCK_MS = 5_000;
/** Entries taken per stream per read, so one busy channel cannot hold the others back for long. */
const COUNT_PER_STREAM = 500;

/**
 * The live feed of the Redis backplane: one blocking `XREAD` loop per API instance, on its own
 * connection, over every stream that has local followers — not one connection per subscriber.
 *
 * It keeps the last id it read per stream and always reads after it (never `$`, which would skip
 * whatever arrived between two reads), so after a Redis restart or a dropped connection the loop
 * carries on from where it was and misses nothing published since. A stream added while the loop
 * is blocked would wait for the block timeout; instead the loop is woken with `CLIENT UNBLOCK`
 * from the command connection.
 */
export class StreamTail {
  private readonly positions = new Map<string, string>();
  private readonly handlers = new Map<string, (entries: StreamEntry[]) => void>();
  /** Bumped by every add; the loop records which generation its current read covers. */
  private generation = 0;
  private readingGeneration = 0;
  private blockingClientId: number | undefined;
  private wakeIdle: (() => void) | undefined;
  private closed = false;
  private readonly stopped: Promise<void>;

  constructor(
    private readonly blocking: Redis,
    private readonly commands: Redis,
    private readonly logger: LoggerService,
  ) {
    // The id changes with every connection: CLIENT UNBLOCK must name the current one.
    blocking.on('close', () => (this.blockingClientId = undefined));
    this.stopped = this.loop();
  }

  /**
   * Follows `key` from just after `fromId`, handing over entries in order. Returns the stop: the
   * next read leaves the key out (no need to interrupt the current one). A stop that comes late,
   * after the key was added again, leaves the newer follow alone.
   */
  add(key: string, fromId: string, onEntries: (entries: StreamEntry[]) => void): () => void {
    this.positions.set(key, fromId);
    this.handlers.set(key, onEntries);
    this.generation += 1;
    void this.interrupt();
    return () => {
      if (this.handlers.get(key) !== onEntries) return;
      this.positions.delete(key);
      this.handlers.delete(key);
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wakeIdle?.();
    this.blocking.disconnect();
    await this.stopped;
  }

  private async loop(): Promise<void> {
    let failing = false;
    while (!this.closed) {
      if (this.positions.size === 0) {
        await new Promise<void>((resolve) => (this.wakeIdle = resolve));
        this.wakeIdle = undefined;
        continue;
      }
      const keys = [...this.positions.keys()];
      const ids = keys.map((key) => this.positions.get(key)!);
      this.readingGeneration = this.generation;
      try {
        // Asked on this connection before it blocks (asked later, it would queue behind the read).
        this.blockingClientId ??= await this.blocking.client('ID');
        const reply = (await this.blocking.xread(
          'COUNT',
          COUNT_PER_STREAM,
          'BLOCK',
          BLOCK_MS,
          'STREAMS',
          ...keys,
          ...ids,
        )) as XReadReply;
        if (failing) this.logger.log('Redis feed is back: resuming from the last ids read');
        failing = false;
        this.dispatch(reply);
      } catch (error) {
        if (this.closed) break;
        if (!failing) this.logger.warn(`Redis feed interrupted (${String(error)}); retrying`);
        failing = true;
        // While disconnected, the next XREAD waits in ioredis' offline queue until it reconnects.
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  }

  private dispatch(reply: XReadReply): void {
    for (const [key, entries] of reply ?? []) {
      const handler = this.handlers.get(key);
      const last = entries[entries.length - 1];
      if (!handler || !last) continue; // removed while the read was in flight
      this.positions.set(key, last[0]);
      handler(entries);
    }
  }

  /**
   * Makes the loop pick up a newly added stream now. The UNBLOCK travels on another connection,
   * so it can overtake a read that is about to block on the old set: try again until the loop is
   * reading the new set.
   */
  private async interrupt(): Promise<void> {
    while (!this.closed && this.readingGeneration < this.generation) {
      if (this.wakeIdle) return this.wakeIdle();
      if (this.blockingClientId !== undefined) {
        const unblocked = await this.commands
          .client('UNBLOCK', this.blockingClientId)
          .catch(() => 0);
        if (unblocked === 1) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }
}
