import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { publishAll, range, readUntil } from './support/http';
import { completeNdjson } from './support/frames';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ HISTORY_SIZE: '5', HEARTBEAT_MS: '100' });
});
afterAll(() => api.stop());

async function framesUntil(
  path: string,
  count: (frames: ReturnType<typeof completeNdjson>) => boolean,
) {
  const response = await fetch(`${api.url}${path}`);
  expect(response.headers.get('transfer-encoding')).toBe('chunked');
  return completeNdjson(await readUntil(response, (t) => count(completeNdjson(t))));
}

describe('GET /api/stream/:channel', () => {
  it('sends one JSON frame a line: events in order, then heartbeats while idle', async () => {
    const events = await publishAll(api.url, 'nd-frames', [1, 2]);
    const frames = await framesUntil(
      '/api/stream/nd-frames',
      (f) => f.filter((x) => x.kind === 'heartbeat').length >= 2,
    );
    expect(frames.filter((f) => f.kind === 'event')).toEqual(
      events.map((event) => ({ kind: 'event', event })),
    );
    const heartbeat = frames.find((f) => f.kind === 'heartbeat');
    expect(heartbeat).toEqual({ kind: 'heartbeat', ts: expect.any(Number) });
  });

  it('resumes after the cursor given in ?after=', async () => {
    const [first] = await publishAll(api.url, 'nd-resume', [1, 2, 3]);
    const frames = await framesUntil(
      `/api/stream/nd-resume?after=${first!.id}`,
      (f) => f.filter((x) => x.kind === 'event').length === 2,
    );
    expect(frames.flatMap((f) => (f.kind === 'event' ? [f.event.data] : []))).toEqual([2, 3]);
  });

  it('answers a stale cursor with a reset frame before the oldest retained events', async () => {
    const [first] = await publishAll(api.url, 'nd-stale', range(1, 8));
    const frames = await framesUntil(
      `/api/stream/nd-stale?after=${first!.id}`,
      (f) => f.filter((x) => x.kind === 'event').length === 5,
    );
    expect(frames[0]).toEqual({ kind: 'reset', cursor: expect.any(String) });
    expect(frames.flatMap((f) => (f.kind === 'event' ? [f.event.data] : []))).toEqual([
      4, 5, 6, 7, 8,
    ]);
  });
});
