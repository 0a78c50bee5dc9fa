// Long polling: the client asks, and the server holds the request until an event arrives or
// `wait` runs out (204). Push latency over plain request/response; pick it where streams are blocked.
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { API_PREFIX, CLOSING_HEADER, LongPollQuerySchema } from '@pushpull/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChannelAccess } from '../../auth/channel-access';
import { tokenExpiredError } from '../../auth/stream-token-verifier';
import { ChannelLog } from '../../channels/channel-log';
import { pageJson } from '../../channels/page-json';
import { DirectRoutes } from '../../common/direct-route';
import { PullRequests } from '../../common/pull-request';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { clientIp } from '../../limits/client-ip';
import { Metrics } from '../../metrics/metrics';
import { LongPollWaiters } from './long-poll-waiters';
import { WokenAnswers, type AnswerBody } from './woken-answers';

const JSON_TYPE = 'application/json; charset=utf-8';

/** GET /api/long-poll/:channel, served as a direct route (see `DirectRoutes`: the hot path). */
@Injectable()
export class LongPollingRoute implements OnModuleInit {
  private readonly requests: PullRequests<typeof LongPollQuerySchema>;

  constructor(
    @Inject(DirectRoutes) private readonly routes: DirectRoutes,
    @Inject(ChannelAccess) access: ChannelAccess,
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(LongPollWaiters) private readonly waiters: LongPollWaiters,
    @Inject(WokenAnswers) private readonly woken: WokenAnswers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    this.requests = new PullRequests(LongPollQuerySchema, access);
  }

  onModuleInit(): void {
    this.routes.get(`/${API_PREFIX}/long-poll/:channel`, (request, reply) =>
      this.longPoll(request, reply),
    );
  }

  /** A Buffer, so an answer shared by many waiters is encoded once, not once per response. */
  private answer(reply: FastifyReply, { body, events }: AnswerBody): Buffer {
    this.metrics.eventsDelivered('long-polling', events, body.length);
    void reply.type(JSON_TYPE);
    return body;
  }

  async longPoll(request: FastifyRequest, reply: FastifyReply): Promise<Buffer | undefined> {
    // A held request ends when a private channel's grant expires.
    const { channel, query, grant } = await this.requests.read(request);
    const { after, limit, wait } = query;

    // Anything already after the cursor (or a reset) is answered at once: no wait, no gap.
    const page = await this.log.readSerialized(channel, after, limit);
    if (page.events.length > 0 || page.reset)
      return this.answer(reply, { body: Buffer.from(pageJson(page)), events: page.events.length });

    const waitMs = Math.min(wait, this.config.LONG_POLL_MAX_WAIT_S) * 1000;
    const { outcome, wokenBy = '' } = await this.waiters.waitAfter(channel, page.cursor, {
      waitMs,
      expiresAt: grant?.expiresAt,
      response: reply.raw,
      clientIp: clientIp(request.raw, this.config.TRUST_PROXY),
    });
    // Every waiter on this cursor woken by the same event gets the same page: read and encode once.
    if (outcome === 'event')
      return this.answer(reply, await this.woken.answer(channel, page.cursor, limit, wokenBy));
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
