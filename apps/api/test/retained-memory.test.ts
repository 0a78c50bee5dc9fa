import { PageSchema, type ChannelEvent } from '@pushpull/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { completeNdjson, completeSse } from './support/frames';
import { eventually, publishAll, readUntil } from './support/http';
import { MIB, flood, metric } from './support/memory';
import { connectSocket } from './support/sockets';

// Retained memory on the built API (docs/limits.md): channels are
// forgotten CHANNEL_TTL_S after their last write, everything retained stays under
// MAX_RETAINED_BYTES, and a cursor into forgotten history is a reset on every mechanism.
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({
    CHANNEL_TTL_S: '1',
    MAX_RETAINED_BYTES: String(MIB),
    WRITE_RATE_PER_S: '0',
  });
});
afterAll(() => api.stop());

const head = async (channel: string) =>
  ((await (await fetch(`${api.url}/api/channels/${channel}`)).json()) as { head: string }).head;
const poll = async (channel: string, after: string) =>
  PageSchema.parse(await (await fetch(`${api.url}/api/poll/${channel}?after=${after}`)).json());

/** Publishes, lets the channel be forgotten, publishes again: returns a cursor from the old life. */
async function forgottenAndRewritten(
  channel: string,
): Promise<{ old: string; fresh: ChannelEvent[] }> {
  const [, second] = await publishAll(api.url, channel, [1, 2, 3]);
  await eventually(
    () => head(channel),
    (h) => h === '0-0',
    'the channel to be forgotten',
  );
  expect(await poll(channel, second!.id)).toEqual({ events: [], cursor: '0-0', reset: true });
  return { old: second!.id, fresh: await publishAll(api.url, channel, [4, 5]) };
}

describe('a cursor into forgotten history', () => {
  it('is a reset on poll', async () => {
    const { old, fresh } = await forgottenAndRewritten('ttl-poll');
    expect(await poll('ttl-poll', old)).toEqual({
      events: fresh,
      cursor: fresh[1]!.id,
      reset: true,
    });
  });

  it('is a reset frame before the new events on SSE', async () => {
    const { old, fresh } = await forgottenAndRewritten('ttl-sse');
    const text = await readUntil(await fetch(`${api.url}/api/sse/ttl-sse?after=${old}`), (t) =>
      t.includes(fresh[1]!.id + '"'),
    );
    const frames = completeSse(text).filter((f) => f.retry === undefined);
    expect(frames[0]).toMatchObject({ event: 'reset' });
    expect(frames.slice(1).map((f) => f.id)).toEqual(fresh.map((e) => e.id));
  });

  it('is a reset frame before the new events on NDJSON', async () => {
    const { old, fresh } = await forgottenAndRewritten('ttl-ndjson');
    const text = await readUntil(
      await fetch(`${api.url}/api/stream/ttl-ndjson?after=${old}`),
      (t) => t.includes(fresh[1]!.id + '"'),
    );
    const frames = completeNdjson(text);
    expect(frames[0]).toMatchObject({ kind: 'reset' });
    expect(frames.slice(1)).toEqual(fresh.map((event) => ({ kind: 'event', event })));
  });

  it('is a reset in the socket.io subscribe ack', async () => {
    const { old, fresh } = await forgottenAndRewritten('ttl-socket');
    const socket = await connectSocket(api.url);
    const ack = await socket.emitWithAck('subscribe', { channel: 'ttl-socket', after: old });
    socket.disconnect();
    expect(ack).toEqual({ ok: true, events: fresh, cursor: fresh[1]!.id, reset: true });
  });
});

describe('MAX_RETAINED_BYTES', () => {
  it('keeps what is retained under the bound, forgetting the least recently written channels', async () => {
    const [first] = await publishAll(api.url, 'bound-first', ['x'.repeat(10_000)]);
    await flood(api.url, 300, (n) => `bound-${n}`, 15 * 1024);
    expect(await metric(api.url, 'pushpull_retained_bytes')).toBeLessThanOrEqual(MIB);
    expect(await metric(api.url, 'pushpull_retained_bytes')).toBeGreaterThan(MIB / 2);
    expect(await poll('bound-first', first!.id)).toEqual({
      events: [],
      cursor: '0-0',
      reset: true,
    });
    const newest = await poll('bound-299', '0-0');
    expect(newest.events).toHaveLength(1);
  });
});
