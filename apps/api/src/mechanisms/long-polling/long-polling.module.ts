import { Module } from '@nestjs/common';
import { DirectRoutes } from '../../common/direct-route';
import { LongPollWaiters } from './long-poll-waiters';
import { LongPollingRoute } from './long-polling.route';
import { WokenAnswers } from './woken-answers';

@Module({ providers: [DirectRoutes, LongPollingRoute, LongPollWaiters, WokenAnswers] })
export class LongPollingModule {}
