import { ChannelEventSchema, type ChannelEvent } from '@pushpull/contracts';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { eventually, publishAll, range, readUntil } from './support/http';
import { completeSse, type SseFrame } from './support/frames';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ HISTORY_SIZE: '5', SSE_RETRY_MS: '50' });
});
afterAll(() => api.stop());

async function framesUntil(
  url: string,
  headers: Record<string, string>,
  done: (frames: SseFrame[]) => boolean,
) {
  const text = await readUntil(await fetch(url, { headers }), (t) => done(completeSse(t)));
  return completeSse(text);
}
const dataFrames = (frames: SseFrame[]) =>
  frames.filter((f) => f.data !== undefined && f.event === undefined);

describe('GET /api/sse/:channel', () => {
  it('starts with a retry hint, then sends each event as id + data with no event line', async () => {
    const events = await publishAll(api.url, 'sse-frames', [1, 2]);
    const frames = await framesUntil(
      `${api.url}/api/sse/sse-frames`,
      {},
      (f) => dataFrames(f).length === 2,
    );
    const retry = Number(frames[0]?.retry);
    expect(retry).toBeGreaterThanOrEqual(25);
    expect(retry).toBeLessThanOrEqual(75);
    expect(dataFrames(frames)).toEqual(
      events.map((event) => ({ id: event.id, data: JSON.stringify(event) })),
    );
  });

  it('resumes from Last-Event-ID, which wins over ?after=', async () => {
    const [first, second] = await publishAll(api.url, 'sse-resume', [1, 2, 3]);
    const frames = await framesUntil(
      `${api.url}/api/sse/sse-resume?after=${first!.id}`,
      { 'Last-Event-ID': second!.id },
      (f) => dataFrames(f).length === 1,
    );
    expect(
      dataFrames(frames).map((f) => ChannelEventSchema.parse(JSON.parse(f.data!)).data),
    ).toEqual([3]);
  });

  it('answers a stale cursor with a named reset frame carrying the new cursor as its id', async () => {
    const [first] = await publishAll(api.url, 'sse-stale', range(1, 8));
    const frames = await framesUntil(
      `${api.url}/api/sse/sse-stale?after=${first!.id}`,
      {},
      (f) => dataFrames(f).length === 5,
    );
    const reset = frames.find((f) => f.event === 'reset');
    expect(reset?.id).toBeDefined();
    expect(JSON.parse(reset!.data!)).toEqual({ cursor: reset!.id });
    expect(frames.indexOf(reset!)).toBeLessThan(frames.indexOf(dataFrames(frames)[0]!));
    expect(dataFrames(frames).map((f) => JSON.parse(f.data!).data)).toEqual([4, 5, 6, 7, 8]);
  });

  it('delivers the backlog and then live events to a real EventSource, in order', async () => {
    const channel = 'sse-client';
    await publishAll(api.url, channel, [1, 2]);
    const source = new EventSource(`${api.url}/api/sse/${channel}`);
    const received: ChannelEvent[] = [];
    source.onmessage = (message) =>
      received.push(ChannelEventSchema.parse(JSON.parse(message.data)));
    try {
      await eventually(
        () => received.length,
        (n) => n === 2,
        'the backlog',
      );
      await publishAll(api.url, channel, [3]);
      await eventually(
        () => received.length,
        (n) => n === 3,
        'the live event',
      );
      expect(received.map((e) => e.data)).toEqual([1, 2, 3]);
    } finally {
      source.close();
    }
  });
});
