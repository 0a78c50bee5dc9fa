import { ErrorBodySchema, REALTIME_NAMESPACE } from '@pushpull/contracts';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { publishAll } from './support/http';
import { connectSocket, type RealtimeClient } from './support/sockets';
import { ALICE, REFUSED_TOKENS, TEST_SECRET, aliceGrant, sign } from './support/tokens';

// Who may read and write over socket.io: the handshake token, the `auth` event, and the same
// codes as HTTP in every ack.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ STREAM_TOKEN_SECRET: TEST_SECRET });
});
afterAll(() => api.stop());

const open: RealtimeClient[] = [];
afterEach(() => open.splice(0).forEach((socket) => socket.disconnect()));
async function client(token?: unknown): Promise<RealtimeClient> {
  const socket = await connectSocket(
    api.url,
    ['websocket'],
    undefined,
    token === undefined ? undefined : { token },
  );
  open.push(socket);
  return socket;
}
const errorCode = (ack: unknown) =>
  ErrorBodySchema.shape.error.parse((ack as { error: unknown }).error).code;

describe('socket.io on a private channel', () => {
  it.each(REFUSED_TOKENS)(
    'connects with $name, and answers its private acks $code',
    async ({ token, code }) => {
      const socket = await client(await token());
      const subscribe = await socket.emitWithAck('subscribe', { channel: ALICE });
      const publish = await socket.emitWithAck('publish', { channel: ALICE, type: 'n', data: 1 });
      expect([subscribe.ok, publish.ok]).toEqual([false, false]);
      expect(errorCode(subscribe)).toBe(code);
      expect(errorCode(publish)).toBe(code);
      // Public channels work on the same socket.
      expect((await socket.emitWithAck('subscribe', { channel: 'ws-auth-public' })).ok).toBe(true);
      const pub = await socket.emitWithAck('publish', {
        channel: 'ws-auth-public',
        type: 'n',
        data: 1,
      });
      expect(pub.ok).toBe(true);
    },
  );

  it('subscribes, receives and publishes with a handshake token that covers the channel', async () => {
    const socket = await client(await sign(aliceGrant));
    const ack = await socket.emitWithAck('subscribe', { channel: ALICE });
    expect(ack.ok).toBe(true);
    const published = await socket.emitWithAck('publish', {
      channel: ALICE,
      type: 'n',
      data: 'hello',
    });
    expect(published.ok).toBe(true);
    await expect.poll(() => socket.received.map((e) => e.data)).toContain('hello');
  });

  it('applies the prefix rule at both edges', async () => {
    const socket = await client(await sign(aliceGrant));
    for (const channel of ['private:user:alice', 'private:user:alicex']) {
      const ack = await socket.emitWithAck('subscribe', { channel });
      expect(errorCode(ack), channel).toBe('forbidden');
    }
    expect((await socket.emitWithAck('subscribe', { channel: 'private:user:alice:x' })).ok).toBe(
      true,
    );
  });

  it('checks the publish claim for a publish, not the subscribe one', async () => {
    const socket = await client(await sign({ sub: 'alice', subscribe: [ALICE] }));
    expect((await socket.emitWithAck('subscribe', { channel: ALICE })).ok).toBe(true);
    const ack = await socket.emitWithAck('publish', { channel: ALICE, type: 'n', data: 1 });
    expect(errorCode(ack)).toBe('forbidden');
  });

  it('refuses a private channel to a socket whose only token came in the query', async () => {
    const socket = io(api.url + REALTIME_NAMESPACE, {
      transports: ['websocket'],
      forceNew: true,
      query: { token: await sign(aliceGrant) },
    }) as unknown as RealtimeClient;
    open.push(socket);
    expect(errorCode(await socket.emitWithAck('subscribe', { channel: ALICE }))).toBe(
      'unauthorized',
    );
  });

  it('refuses a private channel to a token sent as a cookie on the handshake', async () => {
    const socket = await connectSocket(api.url, ['websocket'], {
      Cookie: `pushpull_token=${await sign(aliceGrant)}`,
    });
    open.push(socket);
    expect(errorCode(await socket.emitWithAck('subscribe', { channel: ALICE }))).toBe(
      'unauthorized',
    );
  });

  it('keeps a socket whose handshake auth is not even a string', async () => {
    const socket = await client({ nested: true });
    expect(errorCode(await socket.emitWithAck('subscribe', { channel: ALICE }))).toBe(
      'unauthorized',
    );
  });
});

describe('the auth event', () => {
  it('replaces the token of a live socket: what was refused is then allowed', async () => {
    const socket = await client();
    expect(errorCode(await socket.emitWithAck('subscribe', { channel: ALICE }))).toBe(
      'unauthorized',
    );
    expect(await socket.emitWithAck('auth', { token: await sign(aliceGrant) })).toEqual({
      ok: true,
    });
    expect((await socket.emitWithAck('subscribe', { channel: ALICE })).ok).toBe(true);
  });

  it.each(REFUSED_TOKENS.filter((c) => c.status === 401))(
    'refuses $name with $code and keeps the token it had',
    async ({ token, code }) => {
      const socket = await client(await sign(aliceGrant));
      const forged = await token();
      const ack = await socket.emitWithAck('auth', { token: forged ?? '' } as { token: string });
      expect(ack.ok).toBe(false);
      // An empty token is not a token at all: the payload is refused before any check.
      expect(errorCode(ack)).toBe(forged === undefined ? 'invalid_body' : code);
      expect((await socket.emitWithAck('subscribe', { channel: ALICE })).ok).toBe(true);
    },
  );

  it('answers garbage payloads with invalid_body and stays connected', async () => {
    const socket = await client();
    for (const payload of [null, 42, 'token', { token: 7 }, { token: 'x'.repeat(9000) }, []]) {
      const ack = await socket.emitWithAck('auth', payload as never);
      expect(errorCode(ack), JSON.stringify(payload)?.slice(0, 40)).toBe('invalid_body');
    }
    expect(socket.connected).toBe(true);
    await publishAll(api.url, 'ws-auth-after-garbage', [1]);
    expect((await socket.emitWithAck('subscribe', { channel: 'ws-auth-after-garbage' })).ok).toBe(
      true,
    );
  });

  it("accepts another user's valid token: later checks use it", async () => {
    const socket = await client(await sign(aliceGrant));
    const bob = await sign({ sub: 'bob', subscribe: ['private:user:bob:*'] });
    expect((await socket.emitWithAck('auth', { token: bob })).ok).toBe(true);
    expect(errorCode(await socket.emitWithAck('subscribe', { channel: ALICE }))).toBe('forbidden');
  });
});
