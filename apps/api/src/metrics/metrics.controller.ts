import { Controller, Get, Inject, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { OpsTokenGuard } from '../limits/ops-token.guard';
import { Metrics } from './metrics';

/** `GET /metrics` (outside the `/api` prefix, where Prometheus looks by default). */
@Controller('metrics')
@UseGuards(OpsTokenGuard)
export class MetricsController {
  constructor(@Inject(Metrics) private readonly metrics: Metrics) {}

  @Get()
  async scrape(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    void reply.type(this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
