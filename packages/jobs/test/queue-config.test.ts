import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, QueueConfigSchema, loadEnv } from '../src';

describe('queue settings', () => {
  it('defaults every setting, and reads "" as unset', () => {
    expect(loadEnv(QueueConfigSchema, { MAX_ATTEMPTS: '' })).toEqual({
      AMQP_URL: 'amqp://guest:guest@127.0.0.1:5672',
      REDIS_URL: 'redis://127.0.0.1:6379',
      QUEUE_PREFIX: 'pushpull',
      MAX_ATTEMPTS: 3,
      RETRY_BASE_MS: 500,
      WORKER_CONCURRENCY: 4,
    });
  });

  it('composes into a process config that adds its own settings', () => {
    const schema = QueueConfigSchema.extend({ EXTRA: z.string().default('x') });
    expect(loadEnv(schema, { WORKER_CONCURRENCY: '8' })).toMatchObject({
      WORKER_CONCURRENCY: 8,
      EXTRA: 'x',
    });
  });

  it.each([
    ['MAX_ATTEMPTS', '0'],
    ['RETRY_BASE_MS', '1.5'],
    ['WORKER_CONCURRENCY', 'many'],
    ['QUEUE_PREFIX', 'Upper Case'],
  ])('refuses %s=%j with one line naming the variable and its value', (name, value) => {
    const load = () => loadEnv(QueueConfigSchema, { [name]: value });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^Invalid configuration: [^\n]+$/),
      }),
    );
    expect(load).toThrow(`Invalid configuration: ${name}=${JSON.stringify(value)}: `);
  });
});
