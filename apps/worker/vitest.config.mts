import { defineConfig } from 'vitest/config';

// The tests spawn the built worker (dist/main.js) against the real brokers, as the API's do the
// API: the real artifact, no in-process shortcuts.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts only catch hangs: `pnpm test` runs every suite at once on two cores, and a test
    // asserts what happened, never how fast.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
