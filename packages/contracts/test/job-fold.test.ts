import { describe, expect, it } from 'vitest';
import { JobEventSchema, JobReportSchema, foldJobEvents, type ChannelEvent } from '../src';

let seq = 0;
const event = (type: string, data: unknown): ChannelEvent => ({
  id: `1-${++seq}`,
  channel: 'job:abc',
  type,
  data: data as ChannelEvent['data'],
  ts: seq,
});
const queued = event('job.queued', { type: 'flaky', input: { failures: 1 } });

describe('foldJobEvents', () => {
  it('is undefined before job.queued', () => {
    expect(foldJobEvents('abc', [])).toBeUndefined();
    expect(foldJobEvents('abc', [event('job.started', { attempt: 1 })])).toBeUndefined();
  });

  it('follows a job through a retry to completion', () => {
    const status = foldJobEvents('abc', [
      queued,
      event('job.started', { attempt: 1 }),
      event('job.progress', { attempt: 1, percent: 50 }),
      event('job.failed', { attempt: 1, error: 'boom' }),
      event('job.retrying', { attempt: 2, delayMs: 100, error: 'boom' }),
      event('job.started', { attempt: 2 }),
      event('job.completed', { attempt: 2, result: { ok: true } }),
    ]);
    expect(status).toMatchObject({
      jobId: 'abc',
      type: 'flaky',
      state: 'completed',
      attempt: 2,
      percent: 100,
      result: { ok: true },
    });
    expect(status?.error).toBeUndefined();
  });

  it('ignores a second completion, a rewinding progress and a repeated start (redelivery)', () => {
    const events = [
      queued,
      event('job.started', { attempt: 1 }),
      event('job.progress', { attempt: 1, percent: 60 }),
      event('job.started', { attempt: 1 }),
      event('job.progress', { attempt: 1, percent: 20 }),
      event('job.completed', { attempt: 1, result: 1 }),
      event('job.completed', { attempt: 1, result: 2 }),
    ];
    expect(foldJobEvents('abc', events)).toMatchObject({ state: 'completed', result: 1 });
  });

  it('dead-letters only after a failure, and only once', () => {
    const status = foldJobEvents('abc', [
      queued,
      event('job.dead-lettered', { attempts: 1, error: 'early' }),
      event('job.started', { attempt: 1 }),
      event('job.failed', { attempt: 1, error: 'poison' }),
      event('job.dead-lettered', { attempts: 1, error: 'poison' }),
      event('job.dead-lettered', { attempts: 1, error: 'again' }),
    ]);
    expect(status).toMatchObject({ state: 'dead-lettered', error: 'poison' });
  });

  it('takes up a job that lost its history from its next start, if the start names the type', () => {
    expect(foldJobEvents('abc', [event('job.started', { attempt: 2 })])).toBeUndefined();
    const status = foldJobEvents('abc', [
      event('job.started', { attempt: 2, type: 'report' }),
      event('job.completed', { attempt: 2, result: 'done' }),
    ]);
    expect(status).toMatchObject({ type: 'report', state: 'completed', attempt: 2 });
  });

  it('ignores malformed job events', () => {
    expect(foldJobEvents('abc', [queued, event('job.started', { attempt: 'one' })])).toMatchObject({
      state: 'queued',
    });
  });
});

describe('job events', () => {
  it('parses a job event so that its type says what its data holds', () => {
    const parsed = JobEventSchema.parse({
      type: 'job.progress',
      data: { attempt: 1, percent: 40 },
    });
    expect(parsed.type === 'job.progress' && parsed.data.percent).toBe(40);
  });

  it.each([
    ['data of another type', { type: 'job.progress', data: { attempt: 1, error: 'x' } }],
    ['an unknown type', { type: 'job.paused', data: { attempt: 1 } }],
    ['a percent over 100', { type: 'job.progress', data: { attempt: 1, percent: 101 } }],
  ])('refuses %s', (_what, candidate) => {
    expect(JobEventSchema.safeParse(candidate).success).toBe(false);
  });

  it('reads a report as a job event with its job id and relay', () => {
    const relay = { channel: 'demo', type: 'note', data: 1 };
    const report = JobReportSchema.parse({
      jobId: 'abc',
      type: 'job.completed',
      data: { attempt: 1, result: null },
      relay,
    });
    expect(report).toEqual({
      jobId: 'abc',
      type: 'job.completed',
      data: { attempt: 1, result: null },
      relay,
    });
    expect(JobReportSchema.safeParse({ type: 'job.queued', data: {} }).success).toBe(false);
  });
});
