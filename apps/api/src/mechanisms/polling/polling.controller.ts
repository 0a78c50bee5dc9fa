// HTTP pull (short polling): the client asks every interval and the server answers at once.
// Pick it when updates are rare or a few seconds late is fine; it works through any proxy or cache.
import { Controller, Get, Headers, Inject, Param, Query, Res } from '@nestjs/common';
import { PollQuerySchema } from '@pushpull/contracts';
import type { FastifyReply } from 'fastify';
import { ChannelAccessFor } from '../../auth/channel-access.guard';
import { parseChannel, parseOr } from '../../common/parse';
import { ChannelLog } from '../../channels/channel-log';
import { pageJson } from '../../channels/page-json';
import { Metrics } from '../../metrics/metrics';
import { ifNoneMatch, strongEtag } from './etag';

@Controller('poll')
export class PollingController {
  constructor(
    private readonly log: ChannelLog,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Get(':channel')
  @ChannelAccessFor('subscribe')
  async poll(
    @Param('channel') rawChannel: string,
    @Query() query: unknown,
    @Headers('if-none-match') knownTag: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string | undefined> {
    const channel = parseChannel(rawChannel);
    const { after, limit } = parseOr(PollQuerySchema, query, 'invalid_query', 'query');
    // Spelled around the stored JSON: no event is parsed or stringified again.
    const page = await this.log.readSerialized(channel, after, limit);
    const body = pageJson(page);

    // The ETag is a hash of the exact bytes (strong), so an unchanged page costs the client a
    // 304 with no body. `no-cache` lets caches keep the page but makes them revalidate every time.
    const etag = strongEtag(body);
    void reply.header('ETag', etag).header('Cache-Control', 'private, no-cache');
    if (ifNoneMatch(knownTag, etag)) {
      void reply.status(304);
      return undefined;
    }
    void reply.type('application/json; charset=utf-8');
    this.metrics.eventsDelivered('polling', page.events.length, Buffer.byteLength(body));
    return body;
  }
}
