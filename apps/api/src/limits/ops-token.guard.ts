import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../common/api-error';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

/** Fixed-length digests, so comparing them takes the same time whatever the token's length. */
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Ops endpoints (/metrics, /api/connections) tell an outsider how busy the instance is and where
 * it hurts. With `OPS_TOKEN` set they need `Authorization: Bearer <OPS_TOKEN>`, compared in
 * constant time; without it they stay open, as a local kit's dashboards expect.
 */
@Injectable()
export class OpsTokenGuard implements CanActivate {
  private readonly expected: Buffer | undefined;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expected = config.OPS_TOKEN === undefined ? undefined : digest(config.OPS_TOKEN);
  }

  canActivate(context: ExecutionContext): boolean {
    if (!this.expected) return true;
    const authorization = context.switchToHttp().getRequest<FastifyRequest>().headers.authorization;
    const token = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
    if (token !== undefined && timingSafeEqual(digest(token), this.expected)) return true;
    throw new ApiError(
      'unauthorized',
      token === undefined
        ? 'This endpoint needs Authorization: Bearer <OPS_TOKEN>'
        : 'The ops token is not the one this API was started with',
    ).withHeaders({ 'WWW-Authenticate': 'Bearer' });
  }
}
