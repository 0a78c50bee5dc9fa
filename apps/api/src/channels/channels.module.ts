import { Global, Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { ChannelLog } from './channel-log';
import { ChannelsController } from './channels.controller';
import { MemoryChannelLog } from './memory-channel-log';

/** The channel log, chosen by BACKPLANE, shared by every mechanism module. */
@Global()
@Module({
  controllers: [ChannelsController],
  providers: [
    {
      provide: ChannelLog,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): ChannelLog => new MemoryChannelLog(config.HISTORY_SIZE),
    },
  ],
  exports: [ChannelLog],
})
export class ChannelsModule {}
