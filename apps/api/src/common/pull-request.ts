import { isPrivateChannel } from '@pushpull/contracts';
import type { FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { AccessGrant, ChannelAccess } from '../auth/channel-access';
import { streamTokenOf } from '../auth/request-token';
import { parseChannel, parseOr } from './parse';
import { RecentParses } from './recent-parses';

export interface PullRequest<Q> {
  channel: string;
  query: Readonly<Q>;
  /** A private channel's grant (its expiry ends a held request); undefined for a public one. */
  grant: AccessGrant | undefined;
}

/**
 * What a pull route (a poll, a long poll) reads from its request, checked in the contract's order:
 * the channel, its access, then the query. The parse of a repeated URL is remembered: every poller
 * of a channel asks the same URL until the next event, and every long poll woken by one event asks
 * the same next one. A private channel's grant is checked every time (tokens differ and expire); a
 * public channel takes no token: none is even read.
 */
export class PullRequests<S extends z.ZodType<object>> {
  private readonly parses = new RecentParses<{ channel: string; query: z.infer<S> }>();

  constructor(
    private readonly querySchema: S,
    private readonly access: ChannelAccess,
  ) {}

  async read(request: FastifyRequest): Promise<PullRequest<z.infer<S>>> {
    const url = request.raw.url ?? '';
    const known = this.parses.peek(url);
    const channel = known?.channel ?? parseChannel((request.params as { channel: string }).channel);
    const grant = isPrivateChannel(channel)
      ? await this.access.authorize(streamTokenOf(request), channel, 'subscribe')
      : undefined;
    const query: z.infer<S> =
      known?.query ?? parseOr(this.querySchema, request.query, 'invalid_query', 'query');
    if (!known) this.parses.remember(url, { channel, query });
    return { channel, query, grant };
  }
}
