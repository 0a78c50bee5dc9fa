import { Module, type DynamicModule } from '@nestjs/common';
import { AuthModule } from './auth/auth.module';
import { ChannelsModule } from './channels/channels.module';
import { APP_CONFIG, type AppConfig } from './config/app-config';
import { Draining } from './health/draining';
import { HealthController } from './health/health.controller';
import { LimitsModule } from './limits/limits.module';
import { MetricsModule } from './metrics/metrics.module';
import { MessageQueueModule } from './mechanisms/message-queue/message-queue.module';
import { LongPollingModule } from './mechanisms/long-polling/long-polling.module';
import { PollingModule } from './mechanisms/polling/polling.module';
import { SseModule } from './mechanisms/sse/sse.module';
import { StreamingModule } from './mechanisms/streaming/streaming.module';
import { WebSocketModule } from './mechanisms/websocket/websocket.module';

@Module({})
export class AppModule {
  /** The config is validated before Nest starts and handed in, so a bad value never half-boots. */
  static withConfig(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [
        MetricsModule,
        AuthModule,
        LimitsModule,
        ChannelsModule,
        PollingModule,
        LongPollingModule,
        SseModule,
        StreamingModule,
        WebSocketModule,
        MessageQueueModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_CONFIG, useValue: config }, Draining],
      exports: [APP_CONFIG, Draining],
    };
  }
}
