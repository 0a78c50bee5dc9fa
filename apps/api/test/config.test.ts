import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config/app-config';

describe('the drain settings', () => {
  it('accept a delay below the timeout', () => {
    const config = loadConfig({ SHUTDOWN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '20000' });
    expect([config.SHUTDOWN_DELAY_MS, config.SHUTDOWN_TIMEOUT_MS]).toEqual([5000, 20000]);
  });

  it.each([
    ['equal to', '10000'],
    ['above', '15000'],
  ])('refuse a SHUTDOWN_DELAY_MS %s the timeout, which counts from the signal', (_name, delay) => {
    expect(() => loadConfig({ SHUTDOWN_DELAY_MS: delay })).toThrow(
      /SHUTDOWN_DELAY_MS \(\d+\) must be below SHUTDOWN_TIMEOUT_MS \(10000\)/,
    );
  });
});
