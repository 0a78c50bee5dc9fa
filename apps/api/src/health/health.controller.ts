import { Controller, Get, Inject } from '@nestjs/common';
import { ChannelLog } from '../channels/channel-log';
import { ApiError } from '../common/api-error';

/**
 * Liveness and readiness, kept apart on purpose: while Redis is away the process is alive (no
 * restart would help) but not ready (a load balancer should send traffic to another instance).
 */
@Controller()
export class HealthController {
  constructor(@Inject(ChannelLog) private readonly log: ChannelLog) {}

  /** Liveness: the process is up and serving. */
  @Get('health')
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** Readiness: the backplane answers, so publishes and subscriptions can succeed. */
  @Get('ready')
  ready(): { status: 'ready' } {
    if (!this.log.isReady())
      throw new ApiError('unavailable', 'Not ready: Redis, the channel backplane, is unreachable');
    return { status: 'ready' };
  }
}
