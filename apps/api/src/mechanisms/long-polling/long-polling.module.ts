import { Module } from '@nestjs/common';
import { LongPollWaiters } from './long-poll-waiters';
import { LongPollingController } from './long-polling.controller';
import { WokenAnswers } from './woken-answers';

@Module({ controllers: [LongPollingController], providers: [LongPollWaiters, WokenAnswers] })
export class LongPollingModule {}
