import { Global, Module } from '@nestjs/common';
import { ConnectionsPerIp } from './connections-per-ip';
import { OpsTokenGuard } from './ops-token.guard';
import { WriteRateGuard } from './write-rate.guard';
import { WriteRateLimiter } from './write-rate-limiter';

/**
 * The limits no client can exceed, each kept once here and used by every mechanism: the write
 * rate (HTTP and socket.io share one bucket per writer) and held connections per client IP.
 */
@Global()
@Module({
  providers: [WriteRateLimiter, ConnectionsPerIp, WriteRateGuard, OpsTokenGuard],
  exports: [WriteRateLimiter, ConnectionsPerIp, WriteRateGuard, OpsTokenGuard],
})
export class LimitsModule {}
