// HTTP pull (short polling): the client asks every interval and the server answers at once.
// Pick it when updates are rare or a few seconds late is fine; it works through any proxy or cache.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { API_PREFIX, PollQuerySchema } from '@pushpull/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChannelAccess } from '../../auth/channel-access';
import { ChannelLog } from '../../channels/channel-log';
import { pageJson } from '../../channels/page-json';
import { DirectRoutes } from '../../common/direct-route';
import { PullRequests } from '../../common/pull-request';
import { Metrics } from '../../metrics/metrics';
import { ifNoneMatch, strongEtag } from './etag';

/** GET /api/poll/:channel, served as a direct route (see `DirectRoutes`: the hot path). */
@Injectable()
export class PollingRoute implements OnModuleInit {
  private readonly requests: PullRequests<typeof PollQuerySchema>;

  constructor(
    @Inject(DirectRoutes) private readonly routes: DirectRoutes,
    @Inject(ChannelAccess) access: ChannelAccess,
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.requests = new PullRequests(PollQuerySchema, access);
  }

  onModuleInit(): void {
    this.routes.get(`/${API_PREFIX}/poll/:channel`, (request, reply) => this.poll(request, reply));
  }

  async poll(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
    const { channel, query } = await this.requests.read(request);
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
