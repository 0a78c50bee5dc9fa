import { Controller, Get, Inject } from '@nestjs/common';
import { ChannelLog } from '../channels/channel-log';
import { ApiError } from '../common/api-error';
import { Draining } from './draining';

/**
 * Liveness and readiness, kept apart on purpose: while Redis is away the process is alive (no
 * restart would help) but not ready (a load balancer should send traffic to another instance).
 */
@Controller()
export class HealthController {
  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(Draining) private readonly draining: Draining,
  ) {}

  /** Liveness: the process is up and serving. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the backplane answers, so publishes and subscriptions can succeed. */
  @Get('ready')
  ready(): { status: 'ready' } {
    // Draining: alive and still serving, but the balancer should send new clients elsewhere.
    if (this.draining.isDraining)
      throw new ApiError('unavailable', 'Not ready: this instance is shutting down');
    if (!this.log.isReady())
      throw new ApiError('unavailable', 'Not ready: Redis, the channel backplane, is unreachable');
    return { status: 'ready' };
  }
}
