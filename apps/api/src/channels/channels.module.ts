import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ChannelLog } from './channel-log';
import { ChannelStreamer } from './channel-streamer';
import { ChannelsController } from './channels.controller';
import { ConnectionsController } from './connections.controller';
import { MemoryChannelLog } from './memory-channel-log';
import { OpenConnections } from './open-connections';

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
      useFactory: (config: AppConfig): ChannelLog => new MemoryChannelLog(config.HISTORY_SIZE),
    },
    OpenConnections,
    ChannelStreamer,
  ],
  exports: [ChannelLog, OpenConnections, ChannelStreamer],
})
export class ChannelsModule {}
