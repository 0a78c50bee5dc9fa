import { afterAll, beforeAll, expect, it } from 'vitest';
import { startApi, type RunningApi } from '../src/testing/start-api';
import { MIB, flood, metric, residentBytes } from './support/memory';

// The done-when: a flood of 16 KiB events into thousands of channels leaves the API's RSS
// within a few hundred MiB of where it started under MAX_RETAINED_BYTES=64MiB, still answering.
// (Before the bound, 60 000 such publishes grew RSS from 111 to 1 335 MiB.)
let api: RunningApi;
beforeAll(async () => {
  api = await startApi({ MAX_RETAINED_BYTES: String(64 * MIB), WRITE_RATE_PER_S: '0' });
});
afterAll(() => api.stop());

it('holds RSS within a few hundred MiB through 20 000 publishes of 16 KiB into 3 000 channels', async () => {
  const before = await residentBytes(api.url);
  await flood(api.url, 20_000, (n) => `flood-${n % 3000}`, 16 * 1024);
  const after = await residentBytes(api.url);
  const retained = await metric(api.url, 'pushpull_retained_bytes');
  // Printed for the record: the figures the issue asks about.
  console.warn(
    `flood: RSS ${Math.round(before / MIB)} → ${Math.round(after / MIB)} MiB, ` +
      `retained ${Math.round(retained / MIB)} MiB`,
  );
  expect(retained).toBeLessThanOrEqual(64 * MIB);
  // The log holds exactly its count (retention.memory.test.ts); the rest is V8's heap growing
  // ahead of live data between collections. Measured: +305–312 MiB, flat from 20 000 to 60 000.
  expect(after - before).toBeLessThan(400 * MIB);
  expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
}, 300_000);
