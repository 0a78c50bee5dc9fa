import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { corsHeadersFor } from '../common/cors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ChannelLog } from './channel-log';
import { EventStream } from './event-stream';
import type { FrameFormat } from './frame-formats';
import { OpenConnections, type StreamMechanism } from './open-connections';

export interface StreamSpec {
  mechanism: StreamMechanism;
  format: FrameFormat;
  channel: string;
  after: string | undefined;
}

/**
 * Answers a request with a channel's events as a stream: `follow` the log from the cursor and
 * write each event (and any reset) as a frame. The one place SSE and NDJSON streaming share.
 */
@Injectable()
export class ChannelStreamer {
  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(OpenConnections) private readonly connections: OpenConnections,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Rejects with an ApiError (nothing written yet) when the cursor is not a cursor. */
  async stream(request: FastifyRequest, reply: FastifyReply, spec: StreamSpec): Promise<void> {
    const stream = new EventStream(reply, spec.format, {
      headers: corsHeadersFor(request.headers.origin, this.config),
      heartbeatMs: this.config.HEARTBEAT_MS,
      maxPendingBytes: this.config.SLOW_READER_MAX_BYTES,
      onSlowConsumer: () => this.connections.countSlowConsumerCut(),
    });
    const unsubscribe = await this.log.follow(spec.channel, spec.after, {
      onEvent: (event) => stream.write(spec.format.event(event)),
      onReset: (cursor) => stream.write(spec.format.reset(cursor)),
    });
    stream.open(); // even with no backlog, so the client sees the stream is up
    const release = this.connections.holdStream(spec.mechanism, stream);
    stream.onClose(() => {
      unsubscribe();
      release();
    });
  }
}
