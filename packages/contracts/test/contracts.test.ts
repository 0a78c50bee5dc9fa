import { describe, expect, it } from 'vitest';
import {
  ChannelEventSchema,
  ChannelNameSchema,
  DEFAULT_MAX_EVENT_BYTES,
  ERROR_STATUS,
  ErrorBodySchema,
  MECHANISM_IDS,
  MECHANISMS,
  PageSchema,
  PollQuerySchema,
  PublishBodySchema,
  SocketPublishRequestSchema,
  SubscribeRequestSchema,
  declaredErrorCode,
  isServerOnlyChannel,
  LongPollQuerySchema,
  StreamFrameSchema,
  nestingDepth,
  paths,
  publishBodyBytes,
  withQuery,
} from '../src';

function nested(levels: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('channel names', () => {
  it.each(['demo', 'a', 'prices:eur', 'job:123', 'x_y-z', '0', 'a'.repeat(64)])(
    'accepts %s',
    (name) => {
      expect(ChannelNameSchema.safeParse(name).success).toBe(true);
    },
  );

  it.each(['', 'BAD NAME', 'Demo', '-demo', ':demo', 'a'.repeat(65), 'caf\u00e9', 'a/b', 'a.b'])(
    'rejects %j',
    (name) => {
      expect(ChannelNameSchema.safeParse(name).success).toBe(false);
    },
  );

  it('marks job: channels as server-only', () => {
    expect(isServerOnlyChannel('job:1')).toBe(true);
    expect(isServerOnlyChannel('jobs')).toBe(false);
  });
});

describe('publish body', () => {
  it('accepts any JSON data, null included', () => {
    for (const data of [null, 0, 'text', true, [], {}, { a: [1, { b: null }] }]) {
      expect(PublishBodySchema.safeParse({ type: 'message', data }).success).toBe(true);
    }
  });

  it('requires data and a type of 1 to 64 characters', () => {
    expect(PublishBodySchema.safeParse({ type: 'message' }).success).toBe(false);
    expect(PublishBodySchema.safeParse({ type: '', data: 1 }).success).toBe(false);
    expect(PublishBodySchema.safeParse({ type: 't'.repeat(65), data: 1 }).success).toBe(false);
    expect(PublishBodySchema.safeParse({ type: 't'.repeat(64), data: 1 }).success).toBe(true);
    expect(PublishBodySchema.safeParse({ type: 42, data: 1 }).success).toBe(false);
  });

  it('rejects unknown keys, so typos are not silently dropped', () => {
    expect(PublishBodySchema.safeParse({ type: 'a', data: 1, chanel: 'x' }).success).toBe(false);
  });

  it('allows 32 levels of nesting and refuses 33', () => {
    expect(PublishBodySchema.safeParse({ type: 'a', data: nested(32) }).success).toBe(true);
    const deep = PublishBodySchema.safeParse({ type: 'a', data: nested(33) });
    expect(deep.success).toBe(false);
    expect(deep.error?.issues[0]?.message).toMatch(/deeper than 32/);
  });

  it('survives hostile depth without overflowing the stack', () => {
    expect(PublishBodySchema.safeParse({ type: 'a', data: nested(200_000) }).success).toBe(false);
  });

  it('rejects values that are not JSON (functions, undefined in arrays, NaN)', () => {
    expect(PublishBodySchema.safeParse({ type: 'a', data: () => 1 }).success).toBe(false);
    expect(PublishBodySchema.safeParse({ type: 'a', data: Number.NaN }).success).toBe(false);
  });

  it('refuses prototype-poisoning keys at any depth, and names where', () => {
    const parse = (json: string) => PublishBodySchema.safeParse(JSON.parse(json));
    const refused = parse('{"type":"t","data":{"a":[{"__proto__":{"x":1}}]}}');
    expect(refused.error?.issues.map((issue) => issue.path)).toEqual([
      ['data', 'a', 0, '__proto__'],
    ]);
    expect(parse('{"type":"t","data":{"constructor":{"prototype":{}}}}').success).toBe(false);
    expect(parse('{"type":"t","data":1,"__proto__":{}}').success).toBe(false);
    // The words themselves are fine as data.
    expect(parse('{"type":"t","data":{"constructor":1,"prototype":{"__proto":1}}}').success).toBe(
      true,
    );
  });

  it('measures size as UTF-8 JSON bytes against the 16 KiB default', () => {
    expect(DEFAULT_MAX_EVENT_BYTES).toBe(16384);
    expect(publishBodyBytes({ type: 'a', data: '\u00e9' })).toBe(
      JSON.stringify({ type: 'a', data: 'x' }).length + 1,
    );
    const big = { type: 'a', data: 'x'.repeat(DEFAULT_MAX_EVENT_BYTES) };
    expect(publishBodyBytes(big)).toBeGreaterThan(DEFAULT_MAX_EVENT_BYTES);
  });
});

describe('nestingDepth', () => {
  it('counts scalars as 0 and containers from 1', () => {
    expect(nestingDepth(1)).toBe(0);
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth({ a: [{ b: 1 }] })).toBe(3);
  });
});

describe('events and pages', () => {
  const event = { id: '1-1', channel: 'demo', type: 'message', data: { n: 1 }, ts: 1 };

  it('parses a channel event and a page', () => {
    expect(ChannelEventSchema.parse(event)).toEqual(event);
    expect(PageSchema.parse({ events: [event], cursor: '1-1', more: true }).more).toBe(true);
    expect(PageSchema.safeParse({ events: [], cursor: '1-0', reset: false }).success).toBe(false);
  });

  it('defaults limit to 100 and bounds it to 1..1000', () => {
    expect(PollQuerySchema.parse({})).toEqual({ limit: 100 });
    expect(PollQuerySchema.parse({ after: '1-2', limit: '1000' })).toEqual({
      after: '1-2',
      limit: 1000,
    });
    expect(PollQuerySchema.parse({ after: '' })).toEqual({ limit: 100 });
    expect(PollQuerySchema.parse({ limit: '' })).toEqual({ limit: 100 });
    for (const limit of ['0', '1001', '1.5', 'abc']) {
      expect(PollQuerySchema.safeParse({ limit }).success).toBe(false);
    }
  });
});

describe('errors', () => {
  it('gives every code a 4xx or 5xx status', () => {
    for (const status of Object.values(ERROR_STATUS)) expect(status).toBeGreaterThanOrEqual(400);
    expect(ERROR_STATUS.payload_too_large).toBe(413);
  });

  it('parses the error body and refuses unknown codes', () => {
    expect(ErrorBodySchema.safeParse({ error: { code: 'not_found', message: 'x' } }).success).toBe(
      true,
    );
    expect(ErrorBodySchema.safeParse({ error: { code: 'oops', message: 'x' } }).success).toBe(
      false,
    );
  });
});

describe('socket.io payloads', () => {
  it('validates subscribe and publish with the HTTP schemas', () => {
    expect(SubscribeRequestSchema.safeParse({ channel: 'demo', after: '1-0' }).success).toBe(true);
    expect(SubscribeRequestSchema.safeParse({ channel: 'BAD' }).success).toBe(false);
    expect(
      SocketPublishRequestSchema.safeParse({ channel: 'demo', type: 'a', data: 1 }).success,
    ).toBe(true);
    expect(SocketPublishRequestSchema.safeParse({ channel: 'demo', type: 'a' }).success).toBe(
      false,
    );
  });

  it('refuses a publish to a job: channel with a rule that names its own code, forbidden', () => {
    const result = SocketPublishRequestSchema.safeParse({ channel: 'job:1', type: 'a', data: 1 });
    expect(result.error?.issues.map(declaredErrorCode)).toEqual(['forbidden']);
    const badName = SocketPublishRequestSchema.safeParse({ channel: 'NO', type: 'a', data: 1 });
    expect(badName.error?.issues.map(declaredErrorCode)).toEqual([undefined]);
  });
});

describe('mechanisms and paths', () => {
  it('lists the six mechanisms with their metadata', () => {
    expect(MECHANISM_IDS).toHaveLength(6);
    for (const id of MECHANISM_IDS) expect(MECHANISMS[id].id).toBe(id);
  });

  it('encodes channel names into paths and leaves undefined query values out', () => {
    expect(paths.publish('job:1')).toBe('/api/channels/job%3A1/events');
    expect(withQuery(paths.poll('demo'), { after: undefined, limit: 10 })).toBe(
      '/api/poll/demo?limit=10',
    );
  });
});

describe('stream frames and queries', () => {
  it('parses each NDJSON frame kind and refuses unknown kinds', () => {
    const event = { id: '1-1', channel: 'demo', type: 'message', data: 1, ts: 1 };
    for (const frame of [
      { kind: 'event', event },
      { kind: 'heartbeat', ts: 5 },
      { kind: 'reset', cursor: '1-0' },
      { kind: 'closing', code: 'slow_consumer', reason: 'too slow' },
    ]) {
      expect(StreamFrameSchema.parse(frame)).toEqual(frame);
    }
    expect(StreamFrameSchema.safeParse({ kind: 'other' }).success).toBe(false);
    expect(
      StreamFrameSchema.safeParse({ kind: 'closing', code: 'bored', reason: '' }).success,
    ).toBe(false);
  });

  it('defaults the long-poll wait to 25 s and refuses a negative or non-numeric one', () => {
    expect(LongPollQuerySchema.parse({})).toEqual({ limit: 100, wait: 25 });
    expect(LongPollQuerySchema.parse({ wait: '0.5', after: '1-1' })).toEqual({
      after: '1-1',
      limit: 100,
      wait: 0.5,
    });
    expect(LongPollQuerySchema.safeParse({ wait: '-1' }).success).toBe(false);
    expect(LongPollQuerySchema.safeParse({ wait: 'soon' }).success).toBe(false);
  });
});
