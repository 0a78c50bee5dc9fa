import { Injectable } from '@nestjs/common';

/**
 * Set once a stop signal arrives. From then on /api/ready answers 503 so the load balancer takes
 * this instance out, while everything else keeps serving until the drain closes the listener.
 */
@Injectable()
export class Draining {
  private started = false;

  start(): void {
    this.started = true;
  }

  get isDraining(): boolean {
    return this.started;
  }
}
