import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { TokenBuckets } from './token-buckets';

/**
 * The one write limit of the API, shared by every wire: an HTTP publish, a socket.io publish and
 * a job submit by the same writer take from the same bucket (`WRITE_RATE_PER_S`, `WRITE_BURST`).
 */
@Injectable()
export class WriteRateLimiter {
  private readonly buckets: TokenBuckets | undefined;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.buckets =
      config.WRITE_RATE_PER_S > 0
        ? new TokenBuckets(config.WRITE_RATE_PER_S, config.WRITE_BURST)
        : undefined;
  }

  /** Counts one write by `writer` (see `writerKey`); throws 429 `rate_limited` when over. */
  take(writer: string): void {
    const waitMs = this.buckets?.take(writer) ?? 0;
    if (waitMs === 0) return;
    this.metrics.limited('writes');
    // Whole seconds (RFC 9110 delay-seconds), rounded up so a client that waits is let in.
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new ApiError(
      'rate_limited',
      `Too many writes: over WRITE_RATE_PER_S; retry in ${seconds} s`,
    ).withHeaders({ 'Retry-After': String(seconds) });
  }
}
