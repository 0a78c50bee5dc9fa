import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientIp } from '../../src/limits/client-ip';
import { TokenBuckets } from '../../src/limits/token-buckets';
import { writerKey } from '../../src/limits/writer-key';

/** A clock the test moves by hand. */
function clock() {
  let now = 0;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('TokenBuckets', () => {
  it('lets a burst through, then refuses and says how long until the next token', () => {
    const time = clock();
    const buckets = new TokenBuckets(2, 3, 1000, time.now);
    expect([buckets.take('a'), buckets.take('a'), buckets.take('a')]).toEqual([0, 0, 0]);
    expect(buckets.take('a')).toBe(500); // 2 per second: one token every 500 ms
    time.advance(250);
    expect(buckets.take('a')).toBe(250);
    time.advance(250);
    expect(buckets.take('a')).toBe(0);
  });

  it('refills up to the burst, never past it', () => {
    const time = clock();
    const buckets = new TokenBuckets(10, 2, 1000, time.now);
    buckets.take('a');
    time.advance(60_000);
    expect([buckets.take('a'), buckets.take('a')]).toEqual([0, 0]);
    expect(buckets.take('a')).toBeGreaterThan(0);
  });

  it('keeps one bucket per key', () => {
    const buckets = new TokenBuckets(1, 1, 1000, clock().now);
    expect(buckets.take('a')).toBe(0);
    expect(buckets.take('a')).toBeGreaterThan(0);
    expect(buckets.take('b')).toBe(0);
  });

  it('forgets buckets that have refilled, so idle writers cost no memory', () => {
    const time = clock();
    const buckets = new TokenBuckets(1, 1, 1000, time.now);
    for (let n = 0; n < 100; n++) buckets.take(`writer-${n}`);
    expect(buckets.size).toBe(100);
    time.advance(1000); // every bucket is full again
    for (let n = 0; n < 60; n++) buckets.take('busy');
    expect(buckets.size).toBe(1);
  });

  it('never holds more than maxKeys buckets, however many distinct keys write', () => {
    const buckets = new TokenBuckets(1, 5, 50, clock().now);
    for (let n = 0; n < 10_000; n++) buckets.take(`flood-${n}`);
    expect(buckets.size).toBe(50);
  });

  it('still refuses a key that writes on, while a flood of other keys passes by', () => {
    const time = clock();
    const buckets = new TokenBuckets(1, 2, 50, time.now);
    buckets.take('steady');
    buckets.take('steady');
    for (let n = 0; n < 40; n++) buckets.take(`flood-${n}`);
    expect(buckets.take('steady')).toBeGreaterThan(0);
  });
});

function request(remoteAddress: string, forwardedFor?: string): IncomingMessage {
  return {
    socket: { remoteAddress },
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  } as unknown as IncomingMessage;
}

describe('clientIp', () => {
  it('is the TCP peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientIp(request('10.0.0.9', '1.2.3.4'), 0)).toBe('10.0.0.9');
  });

  it('reads one entry per trusted proxy from the right of X-Forwarded-For', () => {
    const forged = request('10.0.0.9', '6.6.6.6, 1.2.3.4');
    expect(clientIp(forged, 1)).toBe('1.2.3.4'); // the address our proxy saw
    expect(clientIp(forged, 2)).toBe('6.6.6.6');
    expect(clientIp(forged, Number.MAX_SAFE_INTEGER)).toBe('6.6.6.6');
  });

  it('falls back to the peer without a header, and stops at an entry that is not an IP', () => {
    expect(clientIp(request('10.0.0.9'), 1)).toBe('10.0.0.9');
    expect(clientIp(request('10.0.0.9', 'not-an-ip'), 1)).toBe('10.0.0.9');
    expect(clientIp(request('10.0.0.9', '1.2.3.4, junk'), 2)).toBe('10.0.0.9');
  });

  it('counts an IPv4 client the same over IPv4 and a dual-stack socket', () => {
    expect(clientIp(request('::ffff:127.0.0.1'), 0)).toBe('127.0.0.1');
    expect(clientIp(request('10.0.0.9', '::ffff:1.2.3.4'), 1)).toBe('1.2.3.4');
    expect(clientIp(request('::1'), 0)).toBe('::1');
  });
});

describe('writerKey', () => {
  it('counts a verified subject across IPs, and an anonymous writer by IP', () => {
    expect(writerKey('1.2.3.4', 'alice')).toBe(writerKey('5.6.7.8', 'alice'));
    expect(writerKey('1.2.3.4')).not.toBe(writerKey('5.6.7.8'));
    expect(writerKey('1.2.3.4', '1.2.3.4')).not.toBe(writerKey('1.2.3.4'));
  });
});
