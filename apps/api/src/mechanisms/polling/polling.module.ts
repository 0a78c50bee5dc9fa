import { Module } from '@nestjs/common';
import { DirectRoutes } from '../../common/direct-route';
import { PollingRoute } from './polling.route';

@Module({ providers: [DirectRoutes, PollingRoute] })
export class PollingModule {}
