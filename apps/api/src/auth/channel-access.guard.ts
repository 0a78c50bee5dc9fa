import {
  Inject,
  Injectable,
  SetMetadata,
  UseGuards,
  applyDecorators,
  createParamDecorator,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ChannelNameSchema, type ChannelAction } from '@pushpull/contracts';
import type { FastifyRequest } from 'fastify';
import { ChannelAccess, type AccessGrant } from './channel-access';
import { streamTokenOf } from './request-token';

const ACTION = Symbol('channel access action');
const grants = new WeakMap<FastifyRequest, AccessGrant>();

/**
 * Runs the access check on a route whose `:channel` parameter names the channel, before the
 * handler. A name that is not a channel is left to the route (400 `invalid_channel`).
 */
@Injectable()
export class ChannelAccessGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(ChannelAccess) private readonly access: ChannelAccess,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const action = this.reflector.get<ChannelAction>(ACTION, context.getHandler());
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const channel = ChannelNameSchema.safeParse((request.params as { channel?: unknown }).channel);
    if (!action || !channel.success) return true;
    const grant = await this.access.authorize(streamTokenOf(request), channel.data, action);
    if (grant) grants.set(request, grant);
    return true;
  }
}

/** `@ChannelAccessFor('subscribe')` on a route: reading (or writing) `:channel` needs a grant. */
export const ChannelAccessFor = (action: ChannelAction) =>
  applyDecorators(SetMetadata(ACTION, action), UseGuards(ChannelAccessGuard));

/**
 * The grant the guard found, as a handler parameter: undefined on a public channel. Live
 * connections (streams, held long polls) end when it expires.
 */
export const Grant = createParamDecorator(
  (_data: unknown, context: ExecutionContext): AccessGrant | undefined =>
    grantOf(context.switchToHttp().getRequest<FastifyRequest>()),
);

/** The grant the access check found for this request, if it ran and the channel is private. */
export function grantOf(request: FastifyRequest): AccessGrant | undefined {
  return grants.get(request);
}
