// Long polling: the client asks, and the server holds the request until an event arrives or
// `wait` runs out (204). Push latency over plain request/response; pick it where streams are blocked.
import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { CLOSING_HEADER, LongPollQuerySchema, type Page } from '@pushpull/contracts';
import type { FastifyReply } from 'fastify';
import type { AccessGrant } from '../../auth/channel-access';
import { ChannelAccessFor, Grant } from '../../auth/channel-access.guard';
import { tokenExpiredError } from '../../auth/stream-token-verifier';
import { ChannelLog } from '../../channels/channel-log';
import { parseChannel, parseOr } from '../../common/parse';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { clientIp } from '../../limits/client-ip';
import { Metrics } from '../../metrics/metrics';
import { LongPollWaiters } from './long-poll-waiters';

@Controller('long-poll')
export class LongPollingController {
  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(LongPollWaiters) private readonly waiters: LongPollWaiters,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  private answer(reply: FastifyReply, page: Page): string {
    const body = JSON.stringify(page);
    this.metrics.eventsDelivered('long-polling', page.events.length, Buffer.byteLength(body));
    void reply.type('application/json; charset=utf-8');
    return body;
  }

  @Get(':channel')
  @ChannelAccessFor('subscribe')
  async longPoll(
    @Param('channel') rawChannel: string,
    @Query() query: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
    @Grant() grant: AccessGrant | undefined,
  ): Promise<string | undefined> {
    const channel = parseChannel(rawChannel);
    const { after, limit, wait } = parseOr(LongPollQuerySchema, query, 'invalid_query', 'query');

    // Anything already after the cursor (or a reset) is answered at once: no wait, no gap.
    const page = await this.log.read(channel, after, limit);
    if (page.events.length > 0 || page.reset) return this.answer(reply, page);

    const waitMs = Math.min(wait, this.config.LONG_POLL_MAX_WAIT_S) * 1000;
    const outcome = await this.waiters.waitAfter(channel, page.cursor, {
      waitMs,
      expiresAt: grant?.expiresAt,
      response: reply.raw,
      clientIp: clientIp(reply.request.raw, this.config.TRUST_PROXY),
    });
    if (outcome === 'event')
      return this.answer(reply, await this.log.read(channel, page.cursor, limit));
    // The token ran out while the request was held: the client renews it and asks again.
    if (outcome === 'expired') throw tokenExpiredError();
    // 204, not an empty 200: "nothing yet, ask again with the same cursor" needs no body to parse.
    // A drain says so in a header, so the client waits a jittered moment (elsewhere, if it can)
    // instead of asking this instance again at once.
    if (outcome === 'shutdown') void reply.header(CLOSING_HEADER, 'shutdown');
    void reply.status(204);
    return undefined;
  }
}
