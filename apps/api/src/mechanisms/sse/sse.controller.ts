// Server-Sent Events: one long-lived text/event-stream response that the browser's EventSource
// reads and reconnects by itself (sending Last-Event-ID). Pick it for server→browser feeds over HTTP.
import { Controller, Get, Headers, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { StreamQuerySchema } from '@pushpull/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChannelAccessFor, Grant } from '../../auth/channel-access.guard';
import type { AccessGrant } from '../../auth/channel-access';
import { ChannelStreamer } from '../../channels/channel-streamer';
import type { FrameFormat } from '../../channels/frame-format';
import { parseChannel, parseOr } from '../../common/parse';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { sseFormat } from './sse-format';

@Controller('sse')
export class SseController {
  private readonly format: FrameFormat;

  constructor(
    @Inject(ChannelStreamer) private readonly streamer: ChannelStreamer,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.format = sseFormat(config.SSE_RETRY_MS);
  }

  @Get(':channel')
  @ChannelAccessFor('subscribe')
  async sse(
    @Param('channel') rawChannel: string,
    @Query() query: unknown,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Grant() grant: AccessGrant | undefined,
  ): Promise<void> {
    const channel = parseChannel(rawChannel);
    const { after } = parseOr(StreamQuerySchema, query, 'invalid_query', 'query');
    // The browser's own reconnect sends Last-Event-ID but repeats the first URL's ?after=, so the
    // header is the newer of the two and wins.
    await this.streamer.stream(request, reply, {
      mechanism: 'sse',
      format: this.format,
      channel,
      after: lastEventId || after,
      grant,
    });
  }
}
