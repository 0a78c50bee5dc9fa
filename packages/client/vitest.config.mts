import { defineConfig } from 'vitest/config';

// Transport tests run against the real API (spawned from its build), never a mock server.
export default defineConfig({
  // Timeouts only catch hangs: `pnpm test` runs every suite at once on two cores.
  test: { include: ['test/**/*.test.ts'], testTimeout: 60_000, hookTimeout: 60_000 },
});
