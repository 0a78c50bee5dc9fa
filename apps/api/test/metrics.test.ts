import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { connections, eventually, publishAll } from './support/http';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ RETRY_BASE_MS: '10' });
});
afterAll(() => api.stop());

const scrape = async () => {
  const response = await fetch(`${api.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toContain('text/plain');
  return response.text();
};
/** The value of one sample, e.g. `pushpull_events_delivered_total{mechanism="polling"}`. */
const sample = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('GET /metrics', () => {
  it('serves Prometheus text with the process defaults', async () => {
    const text = await scrape();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE pushpull_events_delivered_total counter');
  });

  it('counts deliveries, bytes and requests by mechanism and route pattern, never by channel', async () => {
    const channel = 'metrics-private-channel-name';
    await publishAll(api.url, channel, [1, 2, 3]);
    await fetch(`${api.url}/api/poll/${channel}`);
    await fetch(`${api.url}/api/long-poll/${channel}?wait=0`);
    const text = await scrape();
    expect(
      sample(text, 'pushpull_events_delivered_total{mechanism="polling"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(
      sample(text, 'pushpull_events_delivered_total{mechanism="long-polling"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(sample(text, 'pushpull_bytes_written_total{mechanism="polling"}')).toBeGreaterThan(0);
    expect(
      sample(
        text,
        'pushpull_http_requests_total{method="POST",route="/api/channels/:channel/events",status="201"}',
      ),
    ).toBeGreaterThanOrEqual(3);
    expect(text).not.toContain(channel);
  });

  it('shows open streams and held long polls while they are open', async () => {
    const controller = new AbortController();
    const head = (
      (await (await fetch(`${api.url}/api/channels/metrics-open`)).json()) as { head: string }
    ).head;
    await fetch(`${api.url}/api/sse/metrics-open`, { signal: controller.signal });
    const held = fetch(`${api.url}/api/long-poll/metrics-open?after=${head}&wait=30`, {
      signal: controller.signal,
    }).catch(() => undefined);
    await eventually(
      () => connections(api.url),
      (c) => c.longPollWaiters === 1,
      'the held poll',
    );
    const text = await scrape();
    expect(sample(text, 'pushpull_open_connections{mechanism="sse"}')).toBe(1);
    expect(sample(text, 'pushpull_open_connections{mechanism="long-polling"}')).toBe(1);
    expect(sample(text, 'pushpull_long_poll_waiters')).toBe(1);
    expect(sample(text, 'pushpull_slowest_pending_bytes{mechanism="sse"}')).toBeGreaterThanOrEqual(
      0,
    );
    controller.abort();
    await held;
  });

  it('counts jobs by the state they enter', async () => {
    const response = await fetch(`${api.url}/api/jobs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'flaky', input: { failures: 1 } }),
    });
    const { jobId } = (await response.json()) as { jobId: string };
    await eventually(
      async () =>
        ((await (await fetch(`${api.url}/api/jobs/${jobId}`)).json()) as { state: string }).state,
      (state) => state === 'completed',
      'the job',
    );
    const text = await scrape();
    for (const state of ['queued', 'running', 'failed', 'retrying', 'completed']) {
      expect(sample(text, `pushpull_jobs_total{state="${state}"}`)).toBeGreaterThanOrEqual(1);
    }
  });
});
