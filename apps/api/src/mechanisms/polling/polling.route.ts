// HTTP pull (short polling): the client asks every interval and the server answers at once.
// Pick it when updates are rare or a few seconds late is fine; it works through any proxy or cache.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { API_PREFIX, PollQuerySchema, isPrivateChannel, type PollQuery } from '@pushpull/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChannelAccess } from '../../auth/channel-access';
import { streamTokenOf } from '../../auth/request-token';
import { ChannelLog } from '../../channels/channel-log';
import { pageJson } from '../../channels/page-json';
import { DirectRoutes } from '../../common/direct-route';
import { parseChannel, parseOr } from '../../common/parse';
import { RecentParses } from '../../common/recent-parses';
import { Metrics } from '../../metrics/metrics';
import { ifNoneMatch, strongEtag } from './etag';

/** GET /api/poll/:channel, served as a direct route (see `DirectRoutes`: the hot path). */
@Injectable()
export class PollingRoute implements OnModuleInit {
  /** By URL: every poller of a channel asks the same one until the next event. */
  private readonly parses = new RecentParses<{ channel: string; query: PollQuery }>();

  constructor(
    @Inject(DirectRoutes) private readonly routes: DirectRoutes,
    @Inject(ChannelAccess) private readonly access: ChannelAccess,
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  onModuleInit(): void {
    this.routes.get(`/${API_PREFIX}/poll/:channel`, (request, reply) => this.poll(request, reply));
  }

  async poll(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
    // Checked in the order of the contract: the channel, its access, then the query.
    const url = request.raw.url ?? '';
    const known = this.parses.peek(url);
    const channel = known?.channel ?? parseChannel((request.params as { channel: string }).channel);
    // A private channel's grant is checked every time (tokens differ and expire); a public
    // channel takes no token: none is even read.
    if (isPrivateChannel(channel))
      await this.access.authorize(streamTokenOf(request), channel, 'subscribe');
    const query = known?.query ?? parseOr(PollQuerySchema, request.query, 'invalid_query', 'query');
    if (!known) this.parses.remember(url, { channel, query });
    const { after, limit } = query;
    // Spelled around the stored JSON: no event is parsed or stringified again.
    const page = await this.log.readSerialized(channel, after, limit);
    const body = pageJson(page);

    // The ETag is a hash of the exact bytes (strong), so an unchanged page costs the client a
    // 304 with no body. `no-cache` lets caches keep the page but makes them revalidate every time.
    const etag = strongEtag(body);
    void reply.header('ETag', etag).header('Cache-Control', 'private, no-cache');
    if (ifNoneMatch(request.headers['if-none-match'], etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.type('application/json; charset=utf-8');
    this.metrics.eventsDelivered('polling', page.events.length, Buffer.byteLength(body));
    return body;
  }
}
