import { ErrorBodySchema } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { readUntil } from './support/http';
import { completeNdjson, completeSse } from './support/frames';
import { connectSocket } from './support/sockets';
import { ALICE, TEST_SECRET, aliceGrant, expiryOf, sign } from './support/tokens';

// A token that expires on a live connection: every mechanism ends it with `token_expired` within a
// second of `exp`, and never before it. (Resuming with a fresh token: the client suite.)
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ STREAM_TOKEN_SECRET: TEST_SECRET, HEARTBEAT_MS: '200' });
});
afterAll(() => api.stop());

/** A token with about two seconds to live (`exp` is in whole seconds). */
const shortLived = () => sign(aliceGrant, { expInS: 2 });

function expectActedOnAtExpiry(at: number, token: string): void {
  const expiry = expiryOf(token);
  expect(at).toBeGreaterThanOrEqual(expiry - 50); // never before (50 ms: timer granularity)
  expect(at).toBeLessThanOrEqual(expiry + 1000);
}

describe.each([
  {
    name: 'sse',
    path: 'sse',
    closingCode: (text: string) => {
      const frame = completeSse(text).find((f) => f.event === 'closing');
      return frame && (JSON.parse(frame.data!) as { code: string }).code;
    },
  },
  {
    name: 'streaming',
    path: 'stream',
    closingCode: (text: string) => {
      const frame = completeNdjson(text).find((f) => f.kind === 'closing');
      return frame?.kind === 'closing' ? frame.code : undefined;
    },
  },
])('$name', ({ path, closingCode }) => {
  it('writes closing token_expired at exp and ends the stream', async () => {
    const token = await shortLived();
    const response = await fetch(`${api.url}/api/${path}/${ALICE}-${path}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(200);
    // Read to the end: the server must end the stream itself, or this never returns.
    const text = await readUntil(response, () => false);
    expectActedOnAtExpiry(Date.now(), token);
    expect(closingCode(text)).toBe('token_expired');
  });
});

describe('long-poll', () => {
  it('answers a held request 401 token_expired at exp', async () => {
    const token = await shortLived();
    const response = await fetch(`${api.url}/api/long-poll/${ALICE}-lp?after=0-0&wait=30`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const at = Date.now();
    expect(response.status).toBe(401);
    expect(ErrorBodySchema.parse(await response.json()).error.code).toBe('token_expired');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expectActedOnAtExpiry(at, token);
  });
});

describe('socket.io', () => {
  it('emits closing token_expired at exp and disconnects', async () => {
    const token = await shortLived();
    const socket = await connectSocket(api.url, ['websocket'], undefined, { token });
    expect((await socket.emitWithAck('subscribe', { channel: ALICE })).ok).toBe(true);
    await new Promise((resolve) => socket.once('disconnect', resolve));
    expectActedOnAtExpiry(Date.now(), token);
    expect(socket.closings).toEqual([expect.objectContaining({ code: 'token_expired' })]);
  });

  it('stays connected past exp when auth brought a fresh token first', async () => {
    const token = await shortLived();
    const socket = await connectSocket(api.url, ['websocket'], undefined, { token });
    try {
      expect((await socket.emitWithAck('subscribe', { channel: ALICE })).ok).toBe(true);
      expect(await socket.emitWithAck('auth', { token: await sign(aliceGrant) })).toEqual({
        ok: true,
      });
      // Nothing to wait for but the clock: the old token's exp must pass without a cut.
      await new Promise((resolve) => setTimeout(resolve, expiryOf(token) + 1200 - Date.now()));
      expect(socket.connected).toBe(true);
      expect(socket.closings).toEqual([]);
      const ack = await socket.emitWithAck('publish', { channel: ALICE, type: 'n', data: 'later' });
      expect(ack.ok).toBe(true);
      await expect.poll(() => socket.received.map((e) => e.data)).toContain('later');
    } finally {
      socket.disconnect();
    }
  });

  it('still cuts at the old exp when the fresh token does not cover a held channel', async () => {
    const token = await shortLived();
    const socket = await connectSocket(api.url, ['websocket'], undefined, { token });
    expect((await socket.emitWithAck('subscribe', { channel: ALICE })).ok).toBe(true);
    const narrower = await sign({ sub: 'alice', subscribe: ['private:user:alice:other'] });
    expect((await socket.emitWithAck('auth', { token: narrower })).ok).toBe(true);
    await new Promise((resolve) => socket.once('disconnect', resolve));
    expectActedOnAtExpiry(Date.now(), token);
    expect(socket.closings.map((c) => c.code)).toEqual(['token_expired']);
  });

  it('never cuts a socket that holds only public channels, whatever its token', async () => {
    const token = await sign(aliceGrant, { expInS: 1 });
    const socket = await connectSocket(api.url, ['websocket'], undefined, { token });
    try {
      expect((await socket.emitWithAck('subscribe', { channel: 'auth-expiry-public' })).ok).toBe(
        true,
      );
      await new Promise((resolve) => setTimeout(resolve, expiryOf(token) + 1200 - Date.now()));
      expect(socket.connected).toBe(true);
    } finally {
      socket.disconnect();
    }
  });
});
