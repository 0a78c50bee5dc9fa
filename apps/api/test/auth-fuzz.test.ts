import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runApiExpectingExit, startApi, type RunningApi } from '../src/testing/start-api';
import { connectSocket, type RealtimeClient } from './support/sockets';
import { ALICE, TEST_SECRET, aliceGrant, sign } from './support/tokens';

// Hostile input around the auth check: no random body, payload or token yields a 5xx or an
// `internal` ack, on public and private channels alike.
let api: RunningApi;
let socket: RealtimeClient;
let token: string;
beforeAll(async () => {
  api = await startApi({ STREAM_TOKEN_SECRET: TEST_SECRET, MAX_EVENT_BYTES: '2048' });
  token = await sign(aliceGrant, { expInS: 600 });
  socket = await connectSocket(api.url, ['websocket'], undefined, { token });
});
afterAll(async () => {
  socket.disconnect();
  await api.stop();
});

const channel = fc.constantFrom('auth-fuzz', ALICE, 'private:user:bob:x', 'job:x', 'BAD');
/** Bodies near the contract's shape as often as far from it. */
const body = fc.oneof(
  fc.record({ type: fc.string(), data: fc.jsonValue() }, { requiredKeys: [] }),
  fc.record({ type: fc.string({ maxLength: 70 }), data: fc.anything() }),
  fc.jsonValue(),
  fc.anything(),
);
const authorization = fc.oneof(
  fc.constant(undefined),
  fc.constant(`Bearer ${'x'}`),
  fc.string().map((s) => `Bearer ${s.replace(/[\r\n]/g, '')}`),
  fc.string({ maxLength: 40 }).filter((s) => /^[\x21-\x7e ]*$/.test(s)),
);

describe('publish fuzzing', () => {
  it('answers every random HTTP body and Authorization header below 500', async () => {
    await fc.assert(
      fc.asyncProperty(channel, body, authorization, fc.boolean(), async (ch, data, auth, good) => {
        const headers: Record<string, string> = { 'Content-Type': 'application/json' };
        if (good) headers.Authorization = `Bearer ${token}`;
        else if (auth) headers.Authorization = auth;
        let text: string;
        try {
          text = JSON.stringify(data) ?? 'null';
        } catch {
          text = String(data); // BigInt and friends: not JSON, sent as is
        }
        const response = await fetch(`${api.url}/api/channels/${encodeURIComponent(ch)}/events`, {
          method: 'POST',
          headers,
          body: text,
        });
        await response.arrayBuffer();
        expect(response.status).toBeLessThan(500);
      }),
      { numRuns: 300 },
    );
  });

  it('answers every random socket publish and auth without an internal error', async () => {
    await fc.assert(
      fc.asyncProperty(channel, body, fc.anything(), async (ch, data, authPayload) => {
        const payload = typeof data === 'object' && data !== null ? { channel: ch, ...data } : data;
        const published = await socket.timeout(5000).emitWithAck('publish', payload as never);
        const authed = await socket.timeout(5000).emitWithAck('auth', authPayload as never);
        for (const ack of [published, authed] as Array<{ ok: boolean; error?: { code: string } }>)
          expect(ack.ok || ack.error?.code !== 'internal').toBe(true);
        // Keep the socket's token good for the next run.
        await socket.emitWithAck('auth', { token });
      }),
      { numRuns: 200 },
    );
    expect(socket.connected).toBe(true);
    expect(api.output()).not.toMatch(/ERROR/);
  });
});

describe('STREAM_TOKEN_SECRET at start', () => {
  it('stops the API with one line, without echoing the value, when it is shorter than 32 bytes', async () => {
    const { code, stderr } = await runApiExpectingExit({ STREAM_TOKEN_SECRET: 'short-secret' });
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('STREAM_TOKEN_SECRET');
    expect(lines[0]).toContain('32 bytes');
    expect(stderr).not.toContain('short-secret');
  });

  it.each([
    ['unset', {}],
    [
      'the public development default',
      { STREAM_TOKEN_SECRET: 'pushpull-development-stream-token-secret-not-for-production' },
    ],
  ])('refuses to start in production with the secret %s', async (_name, env) => {
    const { code, stderr } = await runApiExpectingExit({
      NODE_ENV: 'production',
      STREAM_TOKEN_SECRET: '',
      ...env,
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      expect.stringContaining('STREAM_TOKEN_SECRET is required when NODE_ENV=production'),
    ]);
  });
});
