import { Controller, Get, Inject, UseGuards } from '@nestjs/common';
import type { ConnectionCounts } from '@pushpull/contracts';
import { OpsTokenGuard } from '../limits/ops-token.guard';
import { OpenConnections } from './open-connections';

/** What this instance holds open: for tests, leak checks and dashboards (before /metrics). */
@Controller('connections')
@UseGuards(OpsTokenGuard)
export class ConnectionsController {
  constructor(@Inject(OpenConnections) private readonly connections: OpenConnections) {}

  @Get()
  counts(): ConnectionCounts {
    return this.connections.counts();
  }
}
