import { Inject, Injectable } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import { ChannelLog } from '../../channels/channel-log';
import { OpenConnections } from '../../channels/open-connections';
import { ConnectionsPerIp } from '../../limits/connections-per-ip';
import { whenExpired } from '../../auth/expiry-timer';

/** `expired`: the stream token that allowed the wait ran out first. */
export type WaitOutcome = 'event' | 'timeout' | 'aborted' | 'shutdown' | 'expired';

export interface WaitResult {
  outcome: WaitOutcome;
  /**
   * After `event`: the id of the event that woke the waiter (or the cursor of a reset). Waiters
   * woken by the same one can share one answer (`WokenAnswers`).
   */
  wokenBy?: string;
}

export interface WaitOptions {
  waitMs: number;
  /** The token's expiry on a private channel (ms since the epoch); none on a public one. */
  expiresAt: number | undefined;
  /** The held response: its `close` means the client left. */
  response: ServerResponse;
  /** Counted against MAX_CONNECTIONS_PER_IP while held. */
  clientIp: string;
}

/**
 * Held long-poll requests. Each waits on `follow` from its cursor — which also covers anything
 * published between the empty read and the subscription — and every way out (an event, the
 * timeout, the client leaving, shutdown) frees the timer, the listener and the subscription.
 */
@Injectable()
export class LongPollWaiters {
  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(OpenConnections) private readonly connections: OpenConnections,
    @Inject(ConnectionsPerIp) private readonly perIp: ConnectionsPerIp,
  ) {}

  async waitAfter(
    channel: string,
    cursor: string,
    { waitMs, expiresAt, response, clientIp }: WaitOptions,
  ): Promise<WaitResult> {
    // The client may have left during the read before this (a Redis round trip): its `close`
    // already fired, so a listener attached now would never hear it and the waiter would linger.
    if (response.destroyed || response.closed) return { outcome: 'aborted' };
    // Refused (429) before anything is held; from here every way out goes through done().
    const releaseIp = this.perIp.hold(clientIp);
    let settle!: (result: WaitResult) => void;
    const result = new Promise<WaitResult>((resolve) => (settle = resolve));
    let settled = false;
    let unsubscribe: (() => void) | undefined;

    const onClientGone = () => done('aborted');
    const timer = setTimeout(() => done('timeout'), waitMs);
    let cancelExpiry: (() => void) | undefined;
    response.once('close', onClientGone);
    const release = this.connections.holdWaiter({ close: () => done('shutdown') });
    if (expiresAt !== undefined) cancelExpiry = whenExpired(expiresAt, () => done('expired'));

    function done(outcome: WaitOutcome, wokenBy?: string): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      cancelExpiry?.();
      response.off('close', onClientGone);
      release();
      releaseIp();
      unsubscribe?.();
      settle({ outcome, wokenBy });
    }

    try {
      unsubscribe = await this.log.followShared(channel, cursor, {
        onEvent: (event) => done('event', event.id),
        onReset: (resetCursor) => done('event', `reset ${resetCursor}`),
      });
    } catch (error) {
      done('aborted');
      throw error;
    }
    if (settled) unsubscribe();
    return result;
  }
}
