import { startApi, type RunningApi } from '@pushpull/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, fetchJob, submitJob } from '../src';
import { FAST, observe, until } from './support';

let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ RETRY_BASE_MS: '10' });
});
afterAll(() => api.stop());

describe('submitJob + following the job channel', () => {
  it('submits a job and follows its events over a push mechanism to completion', async () => {
    const { jobId, channel } = await submitJob(api.url, 'flaky', { failures: 1 });
    const subscription = connect('sse', { baseUrl: api.url, channel, ...FAST });
    const seen = observe(subscription);
    await until(() => seen.events.some((e) => e.type === 'job.completed'), 'completion');
    expect(seen.events.map((e) => e.type)).toEqual([
      'job.queued',
      'job.started',
      'job.failed',
      'job.retrying',
      'job.started',
      'job.completed',
    ]);
    expect(await fetchJob(api.url, jobId)).toMatchObject({ state: 'completed', attempt: 2 });
    subscription.close();
  });

  it('rejects an unknown job type with the API code', async () => {
    await expect(submitJob(api.url, 'nope' as 'report')).rejects.toMatchObject({
      code: 'unknown_job_type',
      status: 400,
    });
    await expect(fetchJob(api.url, 'missing')).rejects.toMatchObject({
      code: 'not_found',
      status: 404,
    });
  });
});
