import { Controller, Get, Inject } from '@nestjs/common';
import type { ConnectionCounts } from '@pushpull/contracts';
import { OpenConnections } from './open-connections';

/** What this instance holds open: for tests, leak checks and dashboards (before /metrics). */
@Controller('connections')
export class ConnectionsController {
  constructor(@Inject(OpenConnections) private readonly connections: OpenConnections) {}

  @Get()
  counts(): ConnectionCounts {
    return this.connections.counts();
  }
}
