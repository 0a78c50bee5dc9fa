import type { Page } from '@pushpull/contracts';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { range } from './support/http';
import { expectErrorAnswer, from, publishFrom } from './support/limits';
import { connectSocket, type RealtimeClient } from './support/sockets';
import { TEST_SECRET, sign } from './support/tokens';

// One token every 1000 s: within a test no token comes back, so counts are exact.
const BURST = 4;
let api: RunningApi;
const sockets: RealtimeClient[] = [];
beforeAll(async () => {
  api = await startApi({
    STREAM_TOKEN_SECRET: TEST_SECRET,
    TRUST_PROXY: 'true',
    WRITE_RATE_PER_S: '0.001',
    WRITE_BURST: String(BURST),
  });
});
afterEach(() => sockets.splice(0).forEach((socket) => socket.disconnect()));
afterAll(() => api.stop());

async function socketFrom(ip: string) {
  const socket = await connectSocket(api.url, ['websocket'], from(ip));
  sockets.push(socket);
  return socket;
}

function submitFrom(ip: string) {
  return fetch(`${api.url}/api/jobs`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...from(ip) },
    body: JSON.stringify({ type: 'report', input: { steps: 1, stepMs: 0 } }),
  });
}

describe('write rate limit', () => {
  it('answers 429 rate_limited with Retry-After in whole seconds once the burst is spent, and stores nothing for it', async () => {
    for (const n of range(1, BURST))
      expect((await publishFrom(api.url, '10.1.0.1', 'wr-burst', n)).status).toBe(201);
    const refused = await publishFrom(api.url, '10.1.0.1', 'wr-burst', 'over');
    expect(refused.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    await expectErrorAnswer(refused, 429, 'rate_limited');
    const page = (await (await fetch(`${api.url}/api/poll/wr-burst`)).json()) as Page;
    expect(page.events.map((event) => event.data)).toEqual(range(1, BURST));
  });

  it('takes HTTP publishes, socket.io publishes and job submits from one bucket per writer', async () => {
    const ip = '10.1.0.2';
    const socket = await socketFrom(ip);
    expect((await publishFrom(api.url, ip, 'wr-shared')).status).toBe(201);
    expect((await submitFrom(ip)).status).toBe(202);
    const publish = () =>
      socket.emitWithAck('publish', { channel: 'wr-shared', type: 'n', data: 1 });
    expect((await publish()).ok).toBe(true);
    expect((await publishFrom(api.url, ip, 'wr-shared')).status).toBe(201); // the 4th write

    const ack = await publish();
    expect(ack).toEqual({
      ok: false,
      error: { code: 'rate_limited', message: expect.any(String) },
    });
    await expectErrorAnswer(await publishFrom(api.url, ip, 'wr-shared'), 429, 'rate_limited');
    await expectErrorAnswer(await submitFrom(ip), 429, 'rate_limited');
  });

  it('limits a flood from one client while another client publishes and every client reads health', async () => {
    const flood = await Promise.all(
      range(1, 60).map((n) => publishFrom(api.url, '10.1.0.3', 'wr-flood', n)),
    );
    const statuses = flood.map((response) => response.status);
    expect(statuses.filter((status) => status === 201)).toHaveLength(BURST);
    expect(statuses.filter((status) => status === 429)).toHaveLength(60 - BURST);

    expect((await publishFrom(api.url, '10.1.0.4', 'wr-flood')).status).toBe(201);
    for (const ip of ['10.1.0.3', '10.1.0.4'])
      expect((await fetch(`${api.url}/api/health`, { headers: from(ip) })).status).toBe(200);
  });

  it('counts socket.io publishes sent all at once exactly', async () => {
    const socket = await socketFrom('10.1.0.5');
    const acks = await Promise.all(
      range(1, 20).map((n) =>
        socket.emitWithAck('publish', { channel: 'wr-socket-burst', type: 'n', data: n }),
      ),
    );
    expect(acks.filter((ack) => ack.ok)).toHaveLength(BURST);
    const refused = acks.filter((ack) => !ack.ok);
    expect(refused).toHaveLength(20 - BURST);
    for (const ack of refused) if (!ack.ok) expect(ack.error.code).toBe('rate_limited');
  });
});

describe('without TRUST_PROXY', () => {
  let direct: RunningApi;
  beforeAll(async () => {
    direct = await startApi({ WRITE_RATE_PER_S: '0.001', WRITE_BURST: '2' });
  });
  afterAll(() => direct.stop());

  it("counts a private channel's writer by its token's sub, from whatever address and wire", async () => {
    const tokenOf = (user: string) =>
      sign({ sub: user, subscribe: [], publish: [`private:user:${user}:*`] });
    const [alice, bob] = await Promise.all([tokenOf('wr-alice'), tokenOf('wr-bob')]);
    const publishAs = (token: string, user: string, ip: string) =>
      fetch(`${api.url}/api/channels/private:user:${user}:inbox/events`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${token}`,
          ...from(ip),
        },
        body: JSON.stringify({ type: 'n', data: 1 }),
      });
    // Alice spends her burst from a new address each time: one bucket, hers.
    for (const n of range(1, BURST))
      expect((await publishAs(alice, 'wr-alice', `10.3.0.${n}`)).status).toBe(201);
    await expectErrorAnswer(await publishAs(alice, 'wr-alice', '10.3.1.1'), 429, 'rate_limited');
    const socket = await connectSocket(api.url, ['websocket'], from('10.3.2.1'), { token: alice });
    sockets.push(socket);
    const overSocket = await socket.emitWithAck('publish', {
      channel: 'private:user:wr-alice:inbox',
      type: 'n',
      data: 1,
    });
    expect(overSocket).toMatchObject({ ok: false, error: { code: 'rate_limited' } });
    // Bob, from an address Alice used, still has his own.
    expect((await publishAs(bob, 'wr-bob', '10.3.0.1')).status).toBe(201);
  });

  it('ignores X-Forwarded-For: a client cannot buy a fresh bucket with a forged header', async () => {
    expect((await publishFrom(direct.url, '10.2.0.1', 'wr-direct')).status).toBe(201);
    expect((await publishFrom(direct.url, '10.2.0.2', 'wr-direct')).status).toBe(201);
    await expectErrorAnswer(
      await publishFrom(direct.url, '10.2.0.3', 'wr-direct'),
      429,
      'rate_limited',
    );
  });

  it('writes freely with WRITE_RATE_PER_S=0', async () => {
    const unlimited = await startApi({ WRITE_RATE_PER_S: '0', WRITE_BURST: '1' });
    try {
      const statuses = await Promise.all(
        range(1, 30).map(
          async (n) => (await publishFrom(unlimited.url, '1.1.1.1', 'wr-off', n)).status,
        ),
      );
      expect(statuses.every((status) => status === 201)).toBe(true);
    } finally {
      await unlimited.stop();
    }
  });
});
