import { Inject, Injectable } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AccessGrant } from '../auth/channel-access';
import { corsHeadersFor } from '../common/cors';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { clientIp } from '../limits/client-ip';
import { ConnectionsPerIp } from '../limits/connections-per-ip';
import { Metrics } from '../metrics/metrics';
import { ChannelLog, type Unsubscribe } from './channel-log';
import { EventStream } from './event-stream';
import type { FrameFormat } from './frame-format';
import { OpenConnections, type StreamMechanism } from './open-connections';

export interface StreamSpec {
  mechanism: StreamMechanism;
  format: FrameFormat;
  channel: string;
  after: string | undefined;
  /** The grant of a private channel: the stream ends with `token_expired` when it expires. */
  grant: AccessGrant | undefined;
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
    @Inject(Metrics) private readonly metrics: Metrics,
    @Inject(ConnectionsPerIp) private readonly perIp: ConnectionsPerIp,
  ) {}

  /** Rejects with an ApiError (nothing written yet) when the cursor is not a cursor. */
  async stream(request: FastifyRequest, reply: FastifyReply, spec: StreamSpec): Promise<void> {
    if (request.method === 'HEAD') return this.answerHead(request, reply, spec);
    // Counted before anything is written, so a client over its limit still gets a JSON 429.
    const releaseIp = this.perIp.hold(clientIp(request.raw, this.config.TRUST_PROXY));
    const stream = new EventStream(reply, spec.format, {
      headers: corsHeadersFor(request.headers.origin, this.config),
      heartbeatMs: this.config.HEARTBEAT_MS,
      maxPendingBytes: this.config.SLOW_READER_MAX_BYTES,
      onSlowConsumer: () => this.connections.countSlowConsumerCut(spec.mechanism),
      onBytes: (bytes) => this.metrics.bytesWritten(spec.mechanism, bytes),
      expiresAt: spec.grant?.expiresAt,
    });
    // Every way out ends the response — the client leaving, slow_consumer, shutdown, or an error
    // (a bad cursor) answered before the stream opened — and so frees the count.
    stream.onClose(releaseIp);
    // Held (and told at shutdown) from the start: a long backlog is paced by its reader.
    const release = this.connections.holdStream(spec.mechanism, stream);
    stream.onClose(release);
    let unsubscribe: Unsubscribe;
    try {
      unsubscribe = await this.log.followShared(spec.channel, spec.after, {
        // The frame is built by the first follower of the event and shared by the rest.
        onEvent: (event) => {
          stream.writeEvent(event);
          this.metrics.eventsDelivered(spec.mechanism, 1, 0);
        },
        onReset: (cursor) => stream.write(spec.format.reset(cursor)),
        pacing: stream.pacing,
      });
    } catch (error) {
      release(); // nothing was written for a bad cursor: the filter answers it as JSON
      throw error;
    }
    stream.onClose(unsubscribe); // at once if the reader left (or was cut) during the backlog
    stream.open(); // even with no backlog, so the client sees the stream is up
    stream.goLive();
    // A hijacked reply skips Fastify's onResponse hook, where other requests are counted.
    this.metrics.requestAnswered(request.method, request.routeOptions.url ?? 'unmatched', 200);
  }

  /** HEAD gets the stream's headers and no stream (Fastify routes HEAD to GET handlers). */
  private answerHead(request: FastifyRequest, reply: FastifyReply, spec: StreamSpec): void {
    void reply
      .headers({
        ...corsHeadersFor(request.headers.origin, this.config),
        'Cache-Control': 'no-cache',
      })
      .type(spec.format.contentType)
      .send();
  }
}
