import { describe, expect, it } from 'vitest';
import { fullJitterDelay } from '../src/backoff';
import { ClientError } from '../src/errors';
import { LatencyWindow } from '../src/latency';
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
});
