import type { Closing } from '@pushpull/contracts';
import type { FastifyReply } from 'fastify';
import type { Socket } from 'node:net';
import { whenExpired } from '../auth/expiry-timer';
import type { BacklogPacing } from './channel-log';
import type { FrameFormat } from './frame-format';
import { heartbeatClock, type Beating } from './heartbeat-clock';
import { httpChunk } from './http-chunk';
import type { HeldConnection } from './open-connections';
import { forgetSentHeaders } from './sent-headers';
import type { SharedEvent } from './shared-event';

export interface EventStreamOptions {
  /** Extra response headers (CORS: a hijacked reply skips the hooks that would add them). */
  headers: Record<string, string>;
  heartbeatMs: number;
  /** Unsent bytes allowed to pile up before the reader counts as too slow. */
  maxPendingBytes: number;
  onSlowConsumer(): void;
  /** Every frame's bytes as written (events, heartbeats, control frames): for the metrics. */
  onBytes(bytes: number): void;
  /** When the stream token that opened a private channel expires (ms since the epoch). */
  expiresAt?: number;
}

/** After `closing`, how long a reader gets to take the last frames before the socket is cut. */
const CLOSE_GRACE_MS = 1000;
/**
 * How long a replay waits for a reader that is more than the bound behind before it is cut as a
 * slow consumer: the contract's 5 s. Long enough for a reader on a slow link to take a page; short
 * enough that a reader that reads nothing cannot park the backlog in this process.
 */
export const REPLAY_GRACE_MS = 5000;
/** `drain` comes only once Node's own buffer was full; this also catches a reader below it. */
const CATCH_UP_POLL_MS = 50;

/**
 * One long-lived HTTP response carrying frames: the shared writer behind SSE and NDJSON streaming.
 * It opens lazily on the first frame, so an error found before that (a bad cursor) can still be
 * answered as plain JSON; it sends heartbeats while idle; and it bounds what it buffers: a reader
 * that falls more than `maxPendingBytes` behind is told `slow_consumer` and closed, and resumes
 * from its last id instead of growing this process's memory without limit.
 */
export class EventStream implements HeldConnection, Beating {
  private opened = false;
  private finished = false;
  /** Until `goLive`, the backlog is paced (`pacing`) rather than cut the moment it passes the bound. */
  private replaying = true;
  /**
   * Set when frames go on the socket as ready-made HTTP/1.1 chunks. Node's `write` on a chunked
   * response corks the socket, turns the size into a hex string, and sends size, CRLF, frame and
   * CRLF with one `writev` on the next tick: for an event shared by ten thousand readers, ten
   * thousand of each, and every reader's bytes held until the whole fan-out has run. An event's
   * chunk is built once (`SharedEvent.chunk`), and each reader gets one plain write, at once.
   */
  private socket: Socket | undefined;
  private cancelExpiry: (() => void) | undefined;
  private readonly closeListeners: Array<() => void> = [];

  constructor(
    private readonly reply: FastifyReply,
    private readonly format: FrameFormat,
    private readonly options: EventStreamOptions,
  ) {
    // Fires when the client goes away (or after we end): free timers and subscriptions there.
    reply.raw.once('close', () => this.finish());
    // A token is checked once, at the request: the stream ends when it runs out, and the client
    // resumes from its last id with a fresh one.
    if (options.expiresAt !== undefined)
      this.cancelExpiry = whenExpired(options.expiresAt, () =>
        this.close({
          code: 'token_expired',
          reason: 'The stream token has expired; resume from your last id with a fresh one',
        }),
      );
  }

  /**
   * The backlog's pacing: pages of at most the bound; after each event, go on while the reader is
   * within the bound, else wait for it to take what is pending, and cut it as `slow_consumer` if
   * it has not within REPLAY_GRACE_MS. So a replay holds at most about one bound here, per reader.
   */
  get pacing(): BacklogPacing {
    return { maxPageBytes: this.options.maxPendingBytes, ready: () => this.readerCaughtUp() };
  }

  /** The backlog is written: from now on a frame that leaves the reader past the bound cuts it. */
  goLive(): void {
    this.replaying = false;
  }

  pendingBytes(): number {
    return this.finished ? 0 : this.reply.raw.writableLength;
  }

  get isFinished(): boolean {
    return this.finished;
  }

  /** Calls `listener` once the stream is over (at once if it already is). */
  onClose(listener: () => void): void {
    if (this.finished) listener();
    else this.closeListeners.push(listener);
  }

  open(): void {
    if (this.opened || this.finished) return;
    this.opened = true;
    this.reply.hijack();
    const raw = this.reply.raw;
    raw.writeHead(200, {
      ...this.options.headers,
      'Content-Type': this.format.contentType,
      // Intermediaries must pass frames through as they come: no caching, buffering or gzip.
      'Cache-Control': 'no-cache',
      'X-Accel-Buffering': 'no',
      Connection: 'keep-alive',
    });
    raw.flushHeaders();
    forgetSentHeaders(raw); // ~3 KiB an idle stream would hold for nothing
    // Only a chunked HTTP/1.1 response that owns its socket: a pipelined response still waiting
    // for the one before it has none yet, and HTTP/2 frames its own data; both go through Node.
    if (raw.chunkedEncoding && raw.socket) this.socket = raw.socket;
    const preamble = this.format.preamble();
    if (preamble) this.write(preamble);
    // One shared timer beats every open stream (see HeartbeatClock): none of its own here.
    heartbeatClock(this.options.heartbeatMs).add(this);
  }

  /** A heartbeat frame: the clock calls this every `heartbeatMs` while the stream is open. */
  beat(): void {
    this.write(this.format.heartbeat(Date.now()));
  }

  /** An event's frame: the one every follower shares, sent without a copy. */
  writeEvent(event: SharedEvent): void {
    if (this.finished) return;
    this.open();
    const frame = event.frame(this.format.event);
    this.send(this.socket ? event.chunk(this.format.event) : frame, frame.length);
  }

  /** A frame of this stream's own: the preamble, a reset, a heartbeat. */
  write(frame: string): void {
    if (this.finished) return;
    this.open();
    const bytes = Buffer.from(frame);
    this.send(this.socket ? httpChunk(bytes) : bytes, bytes.length);
  }

  private send(data: Buffer, frameBytes: number): void {
    if (this.socket) this.socket.write(data);
    else this.reply.raw.write(data);
    this.options.onBytes(frameBytes);
    if (!this.replaying && this.reply.raw.writableLength > this.options.maxPendingBytes)
      this.cutSlowConsumer();
  }

  /** Sends `closing` as the last frame and ends the response. */
  close(closing: Closing): void {
    if (this.finished) return;
    this.open();
    const raw = this.reply.raw;
    const socket = raw.socket;
    raw.end(this.format.closing(closing));
    // A reader that does not read would keep the socket (and its buffered bytes) forever; one
    // that took the last bytes keeps its connection for its next request (keep-alive).
    const cut = setTimeout(() => socket?.destroy(), CLOSE_GRACE_MS).unref();
    raw.once('finish', () => clearTimeout(cut));
    this.finish();
  }

  private readerCaughtUp(): boolean | Promise<boolean> {
    if (this.finished) return false;
    if (this.pendingBytes() <= this.options.maxPendingBytes) return true;
    const raw = this.reply.raw;
    return new Promise<boolean>((resolve) => {
      const check = () => {
        if (this.finished) settle(false);
        else if (this.pendingBytes() <= this.options.maxPendingBytes) settle(true);
      };
      // Node holds a response's writes (corked) until the next tick: look again once they went.
      const corked = setImmediate(check);
      const poll = setInterval(check, CATCH_UP_POLL_MS);
      const deadline = setTimeout(() => {
        this.cutSlowConsumer();
        settle(false);
      }, REPLAY_GRACE_MS);
      // Writes on the socket itself leave the response no `drain` of its own to emit.
      const writable = this.socket ?? raw;
      writable.on('drain', check);
      function settle(ready: boolean): void {
        clearImmediate(corked);
        clearInterval(poll);
        clearTimeout(deadline);
        writable.off('drain', check);
        resolve(ready);
      }
    });
  }

  private cutSlowConsumer(): void {
    this.options.onSlowConsumer();
    this.close({
      code: 'slow_consumer',
      reason: `More than ${this.options.maxPendingBytes} bytes were waiting to be read; resume from your last id`,
    });
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    heartbeatClock(this.options.heartbeatMs).remove(this);
    this.cancelExpiry?.();
    for (const listener of this.closeListeners.splice(0)) listener();
  }
}
