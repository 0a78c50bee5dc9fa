import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../src/backoff';
import { ChannelEventSchema } from '@pushpull/contracts';
import { classifyDelivery, DeliveryTiming } from '../src/delivery-timing';
import { ClientError } from '../src/errors';
import { LatencyWindow } from '../src/latency';
import { checkContract, parseContract } from '../src/parse';
import { SeenIds } from '../src/seen-ids';

describe('fullJitterDelay', () => {
  const options = { baseMs: 100, maxMs: 1000 };

  it('draws from [0, base·2^attempt), capped at max', () => {
    expect(fullJitterDelay(0, options, () => 0.999)).toBe(99);
    expect(fullJitterDelay(3, options, () => 0.5)).toBe(400);
    expect(fullJitterDelay(10, options, () => 0.999)).toBe(999);
    expect(fullJitterDelay(5, options, () => 0)).toBe(0);
  });

  it('does not overflow on very many attempts', () => {
    expect(fullJitterDelay(10_000, options, () => 0.5)).toBe(500);
  });
});

describe('LatencyWindow', () => {
  it('answers nearest-rank percentiles over the last samples', () => {
    const window = new LatencyWindow(100);
    expect(window.percentile(50)).toBeUndefined();
    for (let ms = 1; ms <= 100; ms++) window.add(ms);
    expect(window.percentile(50)).toBe(50);
    expect(window.percentile(95)).toBe(95);
    for (let i = 0; i < 100; i++) window.add(1000);
    expect(window.percentile(50)).toBe(1000);
  });
});

describe('classifyDelivery', () => {
  it('calls an event published before the session started replayed, and keeps its age', () => {
    expect(classifyDelivery(1_000, 31_000, 31_050)).toEqual({ replayed: true, ageMs: 30_050 });
  });

  it('calls an event published after the session start live, and one in its very millisecond replayed', () => {
    expect(classifyDelivery(31_001, 31_000, 31_004)).toEqual({ replayed: false, ageMs: 3 });
    expect(classifyDelivery(31_200, 31_000, 31_260)).toEqual({ replayed: false, ageMs: 60 });
    expect(classifyDelivery(31_000, 31_000, 31_004)).toEqual({ replayed: true, ageMs: 4 });
  });

  it('never reports a negative age when the server clock is a little ahead', () => {
    expect(classifyDelivery(31_010, 31_000, 31_005)).toEqual({ replayed: false, ageMs: 0 });
  });
});

describe('DeliveryTiming', () => {
  const clock = (start: number) => {
    const time = { now: start };
    return { time, timing: new DeliveryTiming(() => time.now) };
  };

  it('counts the backlog of a session as replayed and only later events in the latency', () => {
    const { time, timing } = clock(60_000);
    timing.sessionStarted();
    time.now = 60_020;
    for (const ts of [30_000, 40_000, 50_000]) timing.record(ts);
    expect(timing.stats()).toEqual({
      replayed: 3,
      oldestReplayAgeMs: 30_020,
      latencyP50Ms: undefined,
      latencyP95Ms: undefined,
    });

    time.now = 61_005;
    expect(timing.record(61_000)).toEqual({ replayed: false, ageMs: 5 });
    expect(timing.stats()).toMatchObject({ replayed: 3, latencyP50Ms: 5, latencyP95Ms: 5 });
  });

  it('counts what was published between two polls of one session as live, wait included', () => {
    const { time, timing } = clock(0);
    timing.sessionStarted();
    time.now = 1_000; // the next poll answers the event published at 400
    timing.record(400);
    expect(timing.stats()).toMatchObject({ replayed: 0, latencyP50Ms: 600 });
  });

  it('starts over with each session: events missed while away are replayed after a resume', () => {
    const { time, timing } = clock(0);
    timing.sessionStarted();
    time.now = 10;
    timing.record(8); // live
    time.now = 5_000; // offline from 100 to 5 000; two events published meanwhile
    timing.sessionStarted();
    time.now = 5_030;
    timing.record(1_000);
    timing.record(4_000);
    expect(timing.stats()).toEqual({
      replayed: 2,
      oldestReplayAgeMs: 4_030,
      latencyP50Ms: 2,
      latencyP95Ms: 2,
    });
  });

  it('treats everything as replayed before any session started', () => {
    const { timing } = clock(100);
    expect(timing.record(100).replayed).toBe(true);
  });
});

describe('parseContract', () => {
  const event = { id: '1-1', channel: 'demo', type: 'n', data: 1, ts: 1 };

  it('answers the parsed value when the text matches the schema', () => {
    expect(parseContract(ChannelEventSchema, JSON.stringify(event), 'event')).toEqual(event);
  });

  it('calls text that is not JSON, or JSON that does not match, bad_response', () => {
    expect(() => parseContract(ChannelEventSchema, 'not json', 'event')).toThrow(
      expect.objectContaining({ code: 'bad_response' }),
    );
    expect(() => checkContract(ChannelEventSchema, { ...event, ts: 'late' }, 'event')).toThrow(
      expect.objectContaining({
        code: 'bad_response',
        message: expect.stringMatching(/^Malformed event: ts/),
      }),
    );
  });
});

describe('SeenIds', () => {
  it('remembers ids once and forgets the oldest past capacity', () => {
    const seen = new SeenIds(2);
    expect(seen.remember('a')).toBe(true);
    expect(seen.remember('a')).toBe(false);
    seen.remember('b');
    seen.remember('c');
    expect(seen.remember('a')).toBe(true);
    expect(seen.remember('c')).toBe(false);
  });
});

describe('ClientError', () => {
  it('reads the contract error body', () => {
    const error = ClientError.fromResponse(
      400,
      '{"error":{"code":"invalid_channel","message":"bad"}}',
    );
    expect(error).toMatchObject({
      code: 'invalid_channel',
      message: 'bad',
      status: 400,
      permanent: true,
    });
  });

  it('treats 429, 5xx and network errors as worth retrying', () => {
    expect(
      ClientError.fromResponse(429, '{"error":{"code":"rate_limited","message":"x"}}').permanent,
    ).toBe(false);
    expect(ClientError.fromResponse(502, '<html>').permanent).toBe(false);
    expect(ClientError.fromResponse(502, '<html>').code).toBe('bad_response');
    expect(ClientError.from(new TypeError('fetch failed')).code).toBe('network_error');
  });

  it('calls an answer that does not parse bad_response, not network_error', () => {
    expect(ClientError.from(new SyntaxError('Unexpected token')).code).toBe('bad_response');
    let zodError: unknown;
    try {
      ChannelEventSchema.parse({});
    } catch (error) {
      zodError = error;
    }
    expect(ClientError.from(zodError).code).toBe('bad_response');
  });
});
