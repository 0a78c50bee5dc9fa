import { Inject, Injectable, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Closing, ConnectionCounts } from '@pushpull/contracts';
import { Metrics } from '../metrics/metrics';
import { ChannelLog } from './channel-log';

export type StreamMechanism = keyof ConnectionCounts['streams'];

/** Anything held open that must be told, and let go, when the server shuts down. */
export interface HeldConnection {
  close(closing: Closing): void;
  /** Bytes written but not yet taken by the client (streams and sockets). */
  pendingBytes?(): number;
}

/**
 * Every connection this instance holds open (streams, waiting long polls), counted by mechanism.
 * The counts feed tests and dashboards; on shutdown each gets a `closing` frame instead of a cut.
 */
@Injectable()
export class OpenConnections implements BeforeApplicationShutdown {
  private readonly streams: Record<StreamMechanism, Set<HeldConnection>> = {
    sse: new Set(),
    streaming: new Set(),
    websocket: new Set(),
  };
  private readonly waiters = new Set<HeldConnection>();
  private slowConsumersCut = 0;
  /** Set by `closeAll`: a request received before the listener closed may be held only after. */
  private closedWith: Closing | undefined;

  constructor(
    @Inject(ChannelLog) private readonly log: ChannelLog,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {
    metrics.watch({
      open: () => ({ ...this.streamCounts(), 'long-polling': this.waiters.size }),
      longPollWaiters: () => this.waiters.size,
      slowestPendingBytes: () => this.slowestPendingBytes(),
    });
  }

  /** Tracks a connection until the returned release is called. */
  holdStream(mechanism: StreamMechanism, connection: HeldConnection): () => void {
    this.streams[mechanism].add(connection);
    this.closeIfLate(connection);
    return () => this.streams[mechanism].delete(connection);
  }

  holdWaiter(connection: HeldConnection): () => void {
    this.waiters.add(connection);
    this.closeIfLate(connection);
    return () => this.waiters.delete(connection);
  }

  /**
   * A connection held after `closeAll` (its request was already received when the listener
   * closed) is told at once too, or it would keep the drain waiting until SHUTDOWN_TIMEOUT_MS. On
   * the next microtask, so the caller has its release function before `close` can call it.
   */
  private closeIfLate(connection: HeldConnection): void {
    const closing = this.closedWith;
    if (closing) queueMicrotask(() => connection.close(closing));
  }

  countSlowConsumerCut(mechanism: StreamMechanism): void {
    this.slowConsumersCut += 1;
    this.metrics.slowConsumerCut(mechanism);
  }

  counts(): ConnectionCounts {
    return {
      longPollWaiters: this.waiters.size,
      streams: this.streamCounts(),
      upstreamFeeds: this.log.upstreamCount(),
      slowConsumersCut: this.slowConsumersCut,
    };
  }

  private streamCounts(): ConnectionCounts['streams'] {
    return {
      sse: this.streams.sse.size,
      streaming: this.streams.streaming.size,
      websocket: this.streams.websocket.size,
    };
  }

  private slowestPendingBytes(): Partial<Record<StreamMechanism, number>> {
    const slowest: Partial<Record<StreamMechanism, number>> = {};
    for (const [mechanism, held] of Object.entries(this.streams) as Array<
      [StreamMechanism, Set<HeldConnection>]
    >) {
      slowest[mechanism] = Math.max(
        0,
        ...[...held].map((connection) => connection.pendingBytes?.() ?? 0),
      );
    }
    return slowest;
  }

  /** Tells every held connection `closing: shutdown`; each lets go as it is told. */
  closeAll(): void {
    const closing: Closing = {
      code: 'shutdown',
      reason: 'The server is shutting down; resume from your last id',
    };
    this.closedWith = closing;
    const all = [this.waiters, ...Object.values(this.streams)].flatMap((set) => [...set]);
    for (const held of all) held.close(closing);
  }

  /** The drain (src/drain.ts) has done this already; a bare `app.close()` (tests) has not. */
  beforeApplicationShutdown(): void {
    this.closeAll();
  }
}
