import { Inject, Injectable } from '@nestjs/common';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';

/**
 * Held connections (SSE and NDJSON streams, held long polls, socket.io sockets) counted per client
 * IP against `MAX_CONNECTIONS_PER_IP`, so one client cannot take every file descriptor. Each hold
 * returns a release that every way out calls; releasing twice counts once, and an IP's entry goes
 * when its count is back to 0, so the map never holds more entries than open connections.
 */
@Injectable()
export class ConnectionsPerIp {
  private readonly held = new Map<string, number>();
  private readonly max: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.max = config.MAX_CONNECTIONS_PER_IP;
  }

  /** Counts a connection from `ip`; throws 429 `rate_limited` (nothing counted) when at the limit. */
  hold(ip: string): () => void {
    const count = this.held.get(ip) ?? 0;
    if (this.max > 0 && count >= this.max) {
      this.metrics.limited('connections');
      throw new ApiError(
        'rate_limited',
        `Too many open connections from this client (MAX_CONNECTIONS_PER_IP is ${this.max}); close one first`,
      );
    }
    this.held.set(ip, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(ip) ?? 1) - 1;
      if (left > 0) this.held.set(ip, left);
      else this.held.delete(ip);
    };
  }
}
