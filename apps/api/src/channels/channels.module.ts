import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { ChannelLog } from './channel-log';
import { ChannelStreamer } from './channel-streamer';
import { ChannelsController } from './channels.controller';
import { ConnectionsController } from './connections.controller';
import { MemoryChannelLog } from './memory-channel-log';
import { OpenConnections } from './open-connections';
import { RedisChannelLog } from './redis/redis-channel-log';

async function createChannelLog(config: AppConfig): Promise<ChannelLog> {
  if (config.BACKPLANE === 'memory') {
    return new MemoryChannelLog(config.HISTORY_SIZE, {
      maxRetainedBytes: config.MAX_RETAINED_BYTES,
      channelTtlMs: config.CHANNEL_TTL_S * 1000,
    });
  }
  const log = new RedisChannelLog({
    url: config.REDIS_URL,
    prefix: config.BACKPLANE_PREFIX,
    historySize: config.HISTORY_SIZE,
    channelTtlS: config.CHANNEL_TTL_S,
  });
  // A Redis that is down at start does not stop the API: it serves 503s and /api/ready says so.
  await log.connected(3000);
  return log;
}

/**
 * The channel log (driver chosen by BACKPLANE) and the plumbing every mechanism shares: the stream
 * writer behind SSE and NDJSON, and the registry of open connections.
 */
@Global()
@Module({
  controllers: [ChannelsController, ConnectionsController],
  providers: [
    {
      provide: ChannelLog,
      inject: [APP_CONFIG],
      useFactory: createChannelLog,
    },
    OpenConnections,
    ChannelStreamer,
  ],
  exports: [ChannelLog, OpenConnections, ChannelStreamer],
})
export class ChannelsModule implements OnApplicationShutdown {
  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(Metrics) metrics: Metrics,
  ) {
    if (log instanceof MemoryChannelLog) metrics.watchRetainedBytes(() => log.retained().bytes);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.log.close();
  }
}
