// Streaming over HTTP: one chunked application/x-ndjson response, a JSON frame a line, read with
// fetch and a ReadableStream. Pick it when you want a stream with headers and no EventSource rules.
import { Controller, Get, Inject, Param, Query, Req, Res } from '@nestjs/common';
import { StreamQuerySchema } from '@pushpull/contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ChannelAccessFor, Grant } from '../../auth/channel-access.guard';
import type { AccessGrant } from '../../auth/channel-access';
import { ChannelStreamer } from '../../channels/channel-streamer';
import { parseChannel, parseOr } from '../../common/parse';
import { ndjsonFormat } from './ndjson-format';

@Controller('stream')
export class StreamingController {
  constructor(@Inject(ChannelStreamer) private readonly streamer: ChannelStreamer) {}

  @Get(':channel')
  @ChannelAccessFor('subscribe')
  async stream(
    @Param('channel') rawChannel: string,
    @Query() query: unknown,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
    @Grant() grant: AccessGrant | undefined,
  ): Promise<void> {
    const channel = parseChannel(rawChannel);
    const { after } = parseOr(StreamQuerySchema, query, 'invalid_query', 'query');
    await this.streamer.stream(request, reply, {
      mechanism: 'streaming',
      format: ndjsonFormat,
      channel,
      after,
      grant,
    });
  }
}
