import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { grantOf } from '../auth/channel-access.guard';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { clientIp } from './client-ip';
import { WriteRateLimiter } from './write-rate-limiter';
import { writerKey } from './writer-key';

/**
 * Put on every HTTP route that writes (publish, job submit): one token from the writer's bucket,
 * or 429 `rate_limited` with `Retry-After` before the route does any work. Where the route also
 * checks channel access, that check runs first and its verified `sub` names the writer.
 */
@Injectable()
export class WriteRateGuard implements CanActivate {
  constructor(
    @Inject(WriteRateLimiter) private readonly writes: WriteRateLimiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    this.writes.take(
      writerKey(clientIp(request.raw, this.config.TRUST_PROXY), grantOf(request)?.sub),
    );
    return true;
  }
}
