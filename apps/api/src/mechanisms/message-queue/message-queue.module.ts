import {
  Inject,
  Logger,
  Module,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import { BullJobQueue, JobQueue, RabbitJobQueue } from '@pushpull/jobs';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { JobRecorder } from './job-recorder';
import { JobsController } from './jobs.controller';
import { MemoryJobQueue } from './memory-job-queue';

const logger = new Logger('MessageQueue');

/**
 * Jobs and workers; the driver is chosen by QUEUE. `memory` runs the workers inside the API;
 * the broker drivers come straight from @pushpull/jobs (shared with apps/worker, which runs them).
 */
@Module({
  controllers: [JobsController],
  providers: [
    JobRecorder,
    {
      provide: JobQueue,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): JobQueue => {
        const log = (message: string) => logger.warn(message);
        switch (config.QUEUE) {
          case 'rabbitmq':
            return new RabbitJobQueue(config.AMQP_URL, config.QUEUE_PREFIX, log);
          case 'bullmq':
            return new BullJobQueue({
              url: config.REDIS_URL,
              prefix: config.QUEUE_PREFIX,
              maxAttempts: config.MAX_ATTEMPTS,
              retryBaseMs: config.RETRY_BASE_MS,
              log,
            });
          case 'memory':
            return new MemoryJobQueue({
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
    @Inject(JobQueue) private readonly queue: JobQueue,
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
