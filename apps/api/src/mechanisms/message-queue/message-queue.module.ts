import { Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { BullMqQueueDriver } from './bullmq-queue-driver';
import { JobRecorder } from './job-recorder';
import { JobsController } from './jobs.controller';
import { MemoryQueueDriver } from './memory-queue-driver';
import { QueueDriver } from './queue-driver';
import { RabbitMqQueueDriver } from './rabbitmq-queue-driver';

/** Jobs and workers; the driver is chosen by QUEUE (memory: workers run inside the API). */
@Module({
  controllers: [JobsController],
  providers: [
    JobRecorder,
    {
      provide: QueueDriver,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): QueueDriver => {
        switch (config.QUEUE) {
          case 'rabbitmq':
            return new RabbitMqQueueDriver(config.AMQP_URL, config.QUEUE_PREFIX);
          case 'bullmq':
            return new BullMqQueueDriver(
              config.REDIS_URL,
              config.QUEUE_PREFIX,
              config.MAX_ATTEMPTS,
              config.RETRY_BASE_MS,
            );
          case 'memory':
            return new MemoryQueueDriver({
              concurrency: config.WORKER_CONCURRENCY,
              maxAttempts: config.MAX_ATTEMPTS,
              retryBaseMs: config.RETRY_BASE_MS,
            });
        }
      },
    },
  ],
})
export class MessageQueueModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(QueueDriver) private readonly queue: QueueDriver,
    @Inject(JobRecorder) private readonly recorder: JobRecorder,
  ) {}

  /** Reports from workers start flowing into job channels as soon as the API is up. */
  async onModuleInit(): Promise<void> {
    await this.queue.consumeReports((report) => this.recorder.record(report));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.queue.close();
  }
}
