import type { ChannelEvent, PublishBody } from '@pushpull/contracts';
import { Redis } from 'ioredis';
import { ApiError } from '../../common/api-error';
import { ChannelLog, type Snapshot, type Unsubscribe } from '../channel-log';
import { BEFORE_EVERYTHING, parseCursor } from '../cursor';
import { serializeParts, type SerializedEvent } from '../serialized-event';
import { SharedEvent } from '../shared-event';
import { APPEND_EVENT_SCRIPT } from './append-event.lua';
import { StreamTail, type StreamEntry } from './stream-tail';

interface RedisChannelLogOptions {
  url: string;
  /** Names every key, so deployments and parallel test runs never share a stream. */
  prefix: string;
  historySize: number;
  /** CHANNEL_TTL_S: each append renews the stream's `EXPIRE`. */
  channelTtlS: number;
}

type AppendingRedis = Redis & {
  appendEvent(
    key: string,
    maxLen: number,
    type: string,
    data: string,
    ttlS: number,
  ): Promise<[string, string]>;
};

/**
 * The channel log on Redis Streams, shared by every API instance: one stream per channel,
 * appended with `MAXLEN ~ HISTORY_SIZE`, the stream id is the event id (so every instance hands
 * out the same ids and a client can resume on any of them), `XRANGE` reads after a cursor, and a
 * single blocking `XREAD` loop per instance feeds local followers.
 *
 * Ids are `<epoch>-<seq>` stream ids: the append script fixes the time part at the stream's
 * creation and lets Redis count `seq` from 1. The reset rule is then the memory driver's: a cursor
 * from an older epoch (a stream that was deleted and recreated — an expired job channel, a Redis
 * that lost its data) or older than the trimmed history answers `reset`, never a silent gap.
 */
export class RedisChannelLog extends ChannelLog {
  private readonly commands: AppendingRedis;
  private readonly blocking: Redis;
  private readonly tail: StreamTail;

  constructor(private readonly options: RedisChannelLogOptions) {
    super();
    // Requests fail fast with 503 while Redis is away rather than queueing without bound.
    this.commands = new Redis(options.url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    }) as AppendingRedis;
    this.commands.defineCommand('appendEvent', { numberOfKeys: 1, lua: APPEND_EVENT_SCRIPT });
    // The feed waits out an outage instead. A read cut off by a dropped connection is rejected
    // at once (retries 0), so the loop, not ioredis, decides what to read next; the loop's next
    // read then waits in the offline queue until Redis is back.
    this.blocking = new Redis(options.url, { maxRetriesPerRequest: 0 });
    this.reportOutages(this.commands, 'commands');
    this.reportOutages(this.blocking, 'feed');
    this.tail = new StreamTail(this.blocking, this.commands, this.logger);
  }

  /** Waits (bounded) for the first connection, so a healthy start serves its first request. */
  async connected(timeoutMs: number): Promise<void> {
    if (this.isReady()) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.commands.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  isReady(): boolean {
    return this.commands.status === 'ready' && this.blocking.status === 'ready';
  }

  async publish(channel: string, body: PublishBody): Promise<ChannelEvent> {
    const [id, ts] = await this.call(() =>
      this.commands.appendEvent(
        this.keyOf(channel),
        this.options.historySize,
        body.type,
        JSON.stringify(body.data),
        this.options.channelTtlS,
      ),
    );
    return { id, channel, type: body.type, data: body.data, ts: Number(ts) };
  }

  async head(channel: string): Promise<string> {
    const [newest] = await this.call(() =>
      this.commands.xrevrange(this.keyOf(channel), '+', '-', 'COUNT', 1),
    );
    return newest?.[0] ?? BEFORE_EVERYTHING;
  }

  async expire(channel: string, seconds: number): Promise<void> {
    await this.call(() => this.commands.expire(this.keyOf(channel), seconds));
  }

  override async close(): Promise<void> {
    await this.tail.close();
    this.commands.disconnect();
  }

  protected async subscribeUpstream(
    channel: string,
    deliver: (event: SharedEvent) => void,
  ): Promise<Unsubscribe> {
    const key = this.keyOf(channel);
    // The feed starts at today's head; `follow` reads the backlog after this resolves, so the
    // two overlap rather than leave a gap (and `follow` drops the overlap by id).
    const from = await this.head(channel);
    // The entry's fields are JSON already: the event is spelled from them once per process, and
    // parsed only if a follower needs the object (socket.io).
    return this.tail.add(key, from, (entries) =>
      entries.forEach((entry) => deliver(new SharedEvent(toSerialized(channel, entry)))),
    );
  }

  /**
   * The oldest and newest entries and a page, in one MULTI so the three agree: the reset decision
   * and `more` are made against the same history the page was cut from.
   */
  protected async snapshot(
    channel: string,
    after: string | undefined,
    limit: number,
  ): Promise<Snapshot> {
    const key = this.keyOf(channel);
    const replies = await this.call(() =>
      this.commands
        .multi()
        .xrange(key, '-', '+', 'COUNT', 1)
        .xrevrange(key, '+', '-', 'COUNT', 1)
        .xrange(key, after === undefined ? '-' : `(${after}`, '+', 'COUNT', limit)
        .exec(),
    );
    const [oldest, newest, page] = (replies ?? []).map(([error, reply]) => {
      if (error) throw error;
      return reply as StreamEntry[];
    });
    const first = oldest?.[0];
    const last = newest?.[0];
    if (!first || !last) return { retained: undefined, events: [] };
    const { epoch, seq: oldestSeq } = parseCursor(first[0]);
    return {
      retained: { epoch, oldestSeq, lastSeq: parseCursor(last[0]).seq },
      events: (page ?? []).map((entry) => toSerialized(channel, entry)),
    };
  }

  private keyOf(channel: string): string {
    return `${this.options.prefix}:channel:${channel}`;
  }

  /** Turns a lost connection into the contract's 503; other errors are bugs and stay 500s. */
  private async call<T>(command: () => Promise<T>): Promise<T> {
    if (this.commands.status !== 'ready') throw unavailable();
    try {
      return await command();
    } catch (error) {
      if (error instanceof ApiError || this.commands.status === 'ready') throw error;
      throw unavailable();
    }
  }

  private reportOutages(redis: Redis, role: string): void {
    let down = false;
    redis.on('error', (error: Error) => {
      if (!down) this.logger.warn(`Redis ${role} connection: ${error.message}; reconnecting`);
      down = true;
    });
    redis.on('ready', () => {
      if (down) this.logger.log(`Redis ${role} connection is back`);
      down = false;
    });
  }
}

function unavailable(): ApiError {
  return new ApiError(
    'unavailable',
    'Redis, the channel backplane, is unreachable; try again shortly',
  );
}

/** Entries hold `type`, `data` (JSON) and `ts` fields, written by the append script. */
function fieldsOf([, fields]: StreamEntry): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) values.set(fields[i]!, fields[i + 1]!);
  return values;
}

/** The event's JSON straight from the entry's fields: `data` is JSON already, never parsed here. */
function toSerialized(channel: string, entry: StreamEntry): SerializedEvent {
  const values = fieldsOf(entry);
  return serializeParts({
    id: entry[0],
    channel,
    type: values.get('type') ?? '',
    dataJson: values.get('data') ?? 'null',
    ts: Number(values.get('ts')),
  });
}
