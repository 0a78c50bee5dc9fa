import { startApi, type RunningApi } from '@pushpull/api/testing';
import { mintStreamToken } from '@pushpull/stream-tokens';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, publish, renewalDelay, tokenExpiry } from '../src';
import { FAST, numbers, observe, until } from './support';

// Private channels through the client: a token from `getToken`, renewed when it expires (or just
// before, on socket.io), and the subscription resumes from its last id with nothing lost or doubled.
const SECRET = 'client-suite-stream-token-secret-long-enough';
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ STREAM_TOKEN_SECRET: SECRET, HISTORY_SIZE: '200', SSE_RETRY_MS: '50' });
});
afterAll(() => api.stop());

let channelCount = 0;
const privateChannel = () => `private:user:carol:${process.pid}-${++channelCount}`;
const mint = (ttlS: number, sub = 'carol') =>
  mintStreamToken({
    secret: SECRET,
    sub,
    subscribe: [`private:user:${sub}:*`],
    publish: [`private:user:${sub}:*`],
    ttlS,
  });

describe.each(['polling', 'long-polling', 'sse', 'streaming', 'websocket'] as const)(
  'connect("%s") on a private channel',
  (mechanism) => {
    it('renews its token with getToken across expiries and loses or doubles nothing', async () => {
      const channel = privateChannel();
      let tokensIssued = 0;
      const subscription = connect(mechanism, {
        baseUrl: api.url,
        channel,
        ...FAST,
        getToken: async () => {
          tokensIssued += 1;
          return mint(2); // `exp` is whole seconds: each lives 1–2 s
        },
      });
      const seen = observe(subscription);
      await until(() => subscription.status === 'open', 'open');
      const writer = await mint(60);
      // Published across at least two expiries, at a pace every mechanism keeps up with.
      const deadline = Date.now() + 4500;
      let n = 0;
      while (Date.now() < deadline) {
        await publish(api.url, channel, { type: 'n', data: ++n }, { token: writer });
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await until(() => seen.events.length >= n, `all ${n} events`);
      expect(seen.data()).toEqual(numbers(1, n));
      expect(tokensIssued).toBeGreaterThanOrEqual(3);
      expect(seen.statuses).not.toContain('failed');
      subscription.close();
    });

    it('fails for good on a refused token without getToken', async () => {
      const subscription = connect(mechanism, {
        baseUrl: api.url,
        channel: privateChannel(),
        ...FAST,
        token: await mint(60, 'dave'),
      });
      const seen = observe(subscription);
      await until(() => subscription.status === 'failed', 'failed');
      expect(seen.errors).toEqual(['forbidden']);
      subscription.close();
    });

    it('fails for good when getToken keeps returning a token that does not cover the channel', async () => {
      let tokensIssued = 0;
      const subscription = connect(mechanism, {
        baseUrl: api.url,
        channel: privateChannel(),
        ...FAST,
        getToken: async () => {
          tokensIssued += 1;
          return mint(60, 'dave');
        },
      });
      await until(() => subscription.status === 'failed', 'failed');
      // One token to start with, one renewal after the refusal, then it stops asking.
      expect(tokensIssued).toBe(2);
      subscription.close();
    });
  },
);

describe('token timing', () => {
  it('reads exp from a token without verifying it', async () => {
    const token = await mint(60);
    const expiry = tokenExpiry(token)!;
    expect(expiry - Date.now()).toBeGreaterThan(58_000);
    expect(tokenExpiry('garbage')).toBeUndefined();
  });

  it('renews a fifth of the remaining life ahead, at most 30 s ahead', () => {
    expect(renewalDelay(10_000, 0)).toBe(8_000);
    expect(renewalDelay(3_600_000, 0)).toBe(3_570_000);
    expect(renewalDelay(0, 1000)).toBe(0);
  });
});
