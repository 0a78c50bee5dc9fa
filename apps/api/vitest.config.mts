import { defineConfig } from 'vitest/config';

// Integration tests spawn the built server (dist/main.js) on a free port: the real artifact, no
// in-process shortcuts. Each file gets its own server, so files may run in parallel.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Timeouts only catch hangs: `pnpm test` runs every suite at once on two cores, and a test
    // asserts what happened, never how fast (speed is the bench's).
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
