import { defineConfig } from 'vitest/config';

// Transport tests run against the real API (spawned from its build), never a mock server.
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 20_000, hookTimeout: 30_000 },
});
