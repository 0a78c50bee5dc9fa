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
 * The waiters on one channel after one cursor, and the one `follow` they share. Every client of a
 * channel asks after the same cursor once woken by the same event, so they would each open an
 * identical subscription (and each read the log to cover the gap): one per room instead.
 */
interface Room {
  wakers: Set<(wokenBy: string) => void>;
  /** Settles once the follow is open (or rejects as it does). */
  subscribed: Promise<void>;
  unsubscribe: (() => void) | undefined;
  /** Woken, or left by its last waiter: out of the map, its follow closed or closing. */
  closed: boolean;
}

/**
 * Held long-poll requests. Each waits in the room of its channel and cursor, whose `follow` from
 * that cursor also covers anything published between the empty read and the subscription; every
 * way out (an event, the timeout, the client leaving, shutdown) frees the timer, the listener and
 * the waiter's place, and the room's subscription goes with its last waiter.
 */
@Injectable()
export class LongPollWaiters {
  private readonly rooms = new Map<string, Room>();

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
    let leave: (() => void) | undefined;

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
      leave?.();
      settle({ outcome, wokenBy });
    }

    try {
      const joined = this.join(channel, cursor, (wokenBy) => done('event', wokenBy));
      leave = joined.leave;
      // Settled already (a token that had expired): its place is given up at once.
      if (settled) leave();
      await joined.subscribed;
    } catch (error) {
      done('aborted');
      throw error;
    }
    return result;
  }

  /** How many rooms (shared follows) are open: one per channel and cursor being waited on. */
  roomCount(): number {
    return this.rooms.size;
  }

  /** A place in the room of `channel` after `cursor`, opening it (and its follow) if need be. */
  private join(
    channel: string,
    cursor: string,
    wake: (wokenBy: string) => void,
  ): { subscribed: Promise<void>; leave: () => void } {
    // A channel name has no space (its contract pattern), so the key is unambiguous.
    const key = `${channel} ${cursor}`;
    let room = this.rooms.get(key);
    if (!room) room = this.open(key, channel, cursor);
    const joined = room;
    joined.wakers.add(wake);
    return {
      subscribed: joined.subscribed,
      leave: () => {
        if (!joined.wakers.delete(wake) || joined.wakers.size > 0) return;
        this.close(key, joined);
      },
    };
  }

  private open(key: string, channel: string, cursor: string): Room {
    const room: Room = {
      wakers: new Set(),
      subscribed: Promise.resolve(),
      unsubscribe: undefined,
      closed: false,
    };
    // Woken once, by the first event after the cursor (or a reset): every waiter in it with it.
    const wake = (wokenBy: string) => {
      if (room.closed) return;
      const wakers = [...room.wakers];
      this.close(key, room);
      for (const waker of wakers) waker(wokenBy);
    };
    room.subscribed = this.log
      .followShared(channel, cursor, {
        onEvent: (event) => wake(event.id),
        onReset: (resetCursor) => wake(`reset ${resetCursor}`),
      })
      .then(
        (unsubscribe) => {
          if (room.closed) unsubscribe();
          else room.unsubscribe = unsubscribe;
        },
        (error: unknown) => {
          this.close(key, room);
          throw error;
        },
      );
    this.rooms.set(key, room);
    return room;
  }

  private close(key: string, room: Room): void {
    if (room.closed) return;
    room.closed = true;
    room.wakers.clear();
    if (this.rooms.get(key) === room) this.rooms.delete(key);
    // Not open yet: `open`'s continuation closes it as soon as it is.
    room.unsubscribe?.();
  }
}
