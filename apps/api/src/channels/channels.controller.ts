import { Body, Controller, Get, Headers, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { PublishBodySchema, type ChannelEvent, type ChannelHead } from '@pushpull/contracts';
import { ChannelAccessFor } from '../auth/channel-access.guard';
import { requireJson } from '../common/content-type';
import { parseChannel, parseOr, parseWritableChannel } from '../common/parse';
import { WriteRateGuard } from '../limits/write-rate.guard';
import { ChannelLog } from './channel-log';

/** Publishing and the head cursor: the two channel routes every mechanism shares. */
@Controller('channels')
export class ChannelsController {
  constructor(private readonly log: ChannelLog) {}

  /** 201 with the stored event itself, so the publisher learns its id and ts without a second call. */
  @Post(':channel/events')
  @HttpCode(201)
  // Decorators apply bottom-up: the access check runs first, so a verified `sub` picks the bucket.
  @UseGuards(WriteRateGuard)
  @ChannelAccessFor('publish')
  async publish(
    @Param('channel') rawChannel: string,
    @Headers('content-type') contentType: string | undefined,
    @Body() body: unknown,
  ): Promise<ChannelEvent> {
    const channel = parseWritableChannel(rawChannel);
    // Checked after the channel so a bad name is named first, whatever the body looks like.
    requireJson(contentType);
    return this.log.publish(channel, parseOr(PublishBodySchema, body, 'invalid_body', 'body'));
  }

  @Get(':channel')
  @ChannelAccessFor('subscribe')
  async head(@Param('channel') rawChannel: string): Promise<ChannelHead> {
    const channel = parseChannel(rawChannel);
    return { channel, head: await this.log.head(channel) };
  }
}
