interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms, monotonic). */
  at: number;
}

/** Buckets looked at, from the least recently used end, on each take to drop the idle ones. */
const SWEEP_PER_TAKE = 2;

/**
 * A token bucket per key: `burst` tokens to start with, refilled at `ratePerS`, one taken per
 * write. A bucket that has refilled to `burst` is exactly as good as no bucket, so idle buckets are
 * dropped as new takes come in (no timer) and memory follows the writers active in the last
 * `burst / ratePerS` seconds. `maxKeys` caps even that against a flood of distinct keys: past it
 * the least recently used bucket goes, which at worst hands that key a fresh burst.
 */
export class TokenBuckets {
  /** Map order is use order: every take moves its key to the end. */
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly ratePerS: number,
    private readonly burst: number,
    private readonly maxKeys = 100_000,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Takes a token for `key`: 0 when taken, else the milliseconds until one will be there. */
  take(key: string): number {
    const now = this.now();
    const bucket = this.refilled(this.buckets.get(key), now);
    const waitMs = bucket.tokens >= 1 ? 0 : Math.ceil(((1 - bucket.tokens) / this.ratePerS) * 1000);
    if (waitMs === 0) bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    this.sweep(now);
    return waitMs;
  }

  /** Buckets held right now (for tests and the memory bound). */
  get size(): number {
    return this.buckets.size;
  }

  private refilled(bucket: Bucket | undefined, now: number): Bucket {
    if (!bucket) return { tokens: this.burst, at: now };
    const tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.ratePerS);
    return { tokens, at: now };
  }

  /** Drops full buckets from the least recently used end (a few per take), and any past `maxKeys`. */
  private sweep(now: number): void {
    let looked = 0;
    for (const [key, bucket] of this.buckets) {
      if (this.buckets.size <= this.maxKeys) {
        if (looked++ >= SWEEP_PER_TAKE || this.refilled(bucket, now).tokens < this.burst) return;
      }
      this.buckets.delete(key);
    }
  }
}
