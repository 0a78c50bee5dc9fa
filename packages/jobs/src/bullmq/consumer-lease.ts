import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface ConsumerLeaseOptions {
  /** How long a holder that stops renewing keeps the lease (a crashed instance's is taken over then). */
  ttlMs: number;
  /** How often the holder renews, and how often the others try to take it. */
  renewEveryMs: number;
  log(message: string): void;
}

// Take a free lease or renew our own; never one another instance holds since ours expired.
const TAKE = `local holder = redis.call('GET', KEYS[1])
if holder == false then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2]) return 1 end
if holder == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1]) else return 0 end`;

/**
 * One active consumer among the API instances, as RabbitMQ's single-active-consumer queue gives
 * the other driver: a Redis key set with NX and a TTL, renewed by its holder. The holder counts the
 * lease as held only until the TTL measured from *before* its last renewal was sent (minus one renew
 * period), so it stops fetching before another instance can take over. Each take-over starts a new
 * `term`, so the consumer can wait for the previous holder's reports to settle first.
 */
export class ConsumerLease {
  private readonly id = randomUUID();
  private validUntil = 0;
  private term = 0;
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly key: string,
    private readonly options: ConsumerLeaseOptions,
  ) {}

  start(): void {
    const tick = () => {
      this.renewing ??= this.renew().finally(() => (this.renewing = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.options.renewEveryMs);
  }

  /** The current term while the lease is held, or undefined. */
  heldTerm(): number | undefined {
    return performance.now() < this.validUntil ? this.term : undefined;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.renewing;
    const wasHeld = this.heldTerm() !== undefined;
    this.validUntil = 0;
    if (wasHeld) {
      await this.redis
        .eval(RELEASE, 1, this.key, this.id)
        .catch((error: unknown) =>
          this.options.log(`reports lease not released: ${String(error)}`),
        );
    }
  }

  private async renew(): Promise<void> {
    const sentAt = performance.now();
    const { ttlMs, renewEveryMs } = this.options;
    try {
      const held = this.heldTerm() !== undefined;
      const ok = (await this.redis.eval(TAKE, 1, this.key, this.id, String(ttlMs))) === 1;
      // Held again after a lapse (Redis away, a stalled event loop) is a new term as well.
      if (ok && !held) this.term += 1;
      this.validUntil = ok ? sentAt + ttlMs - renewEveryMs : 0;
    } catch (error) {
      this.validUntil = 0;
      this.options.log(`reports lease: ${String(error)}`);
    }
  }
}
