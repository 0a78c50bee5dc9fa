import { Controller, Get } from '@nestjs/common';

/** Liveness: the process is up and serving. (Readiness of a backplane arrives with Redis.) */
@Controller('health')
export class HealthController {
  @Get()
  health(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
