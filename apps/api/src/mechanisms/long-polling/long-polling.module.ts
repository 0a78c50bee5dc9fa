import { Module } from '@nestjs/common';
import { LongPollWaiters } from './long-poll-waiters';
import { LongPollingController } from './long-polling.controller';

@Module({ controllers: [LongPollingController], providers: [LongPollWaiters] })
export class LongPollingModule {}
