import { describe, expect, it } from 'vitest';
import { retryDelayMs, runJob, shouldRetry, type JobContext } from '../src';

function context(attempt = 1) {
  const progress: number[] = [];
  const ctx: JobContext = {
    jobId: 'j',
    attempt,
    progress: (p) => progress.push(p),
    sleep: async () => undefined,
  };
  return { ctx, progress };
}

describe('demo jobs', () => {
  it('report reports progress after every step, ending at 100', async () => {
    const { ctx, progress } = context();
    const outcome = await runJob('report', { steps: 4, stepMs: 0 }, ctx);
    expect(progress).toEqual([25, 50, 75, 100]);
    expect(outcome.result).toMatchObject({ steps: 4 });
  });

  it('flaky fails its first N attempts, then succeeds', async () => {
    await expect(runJob('flaky', { failures: 2 }, context(1).ctx)).rejects.toThrow(/flaky/);
    await expect(runJob('flaky', { failures: 2 }, context(2).ctx)).rejects.toThrow(/flaky/);
    expect((await runJob('flaky', { failures: 2 }, context(3).ctx)).result).toEqual({
      succeededOnAttempt: 3,
    });
  });

  it('poison always fails', async () => {
    await expect(runJob('poison', {}, context(7).ctx)).rejects.toThrow(/poison/);
  });

  it('relay returns the event to publish', async () => {
    const outcome = await runJob(
      'relay',
      { channel: 'demo', type: 'message', data: { text: 'hi' } },
      context().ctx,
    );
    expect(outcome.relay).toEqual({ channel: 'demo', type: 'message', data: { text: 'hi' } });
  });

  it('refuses input that breaks the job type schema', async () => {
    await expect(runJob('report', { steps: 0 }, context().ctx)).rejects.toThrow();
    await expect(
      runJob('relay', { channel: 'job:x', type: 't', data: 1 }, context().ctx),
    ).rejects.toThrow();
  });
});

describe('retry policy', () => {
  it('doubles the delay with every failed attempt and stops at maxAttempts', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 100))).toEqual([100, 200, 400, 800]);
    expect(shouldRetry(2, 3)).toBe(true);
    expect(shouldRetry(3, 3)).toBe(false);
  });
});
