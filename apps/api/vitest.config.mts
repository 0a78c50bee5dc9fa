import { defineConfig } from 'vitest/config';

// Integration tests spawn the built server (dist/main.js) on a free port: the real artifact, no
// in-process shortcuts. Each file gets its own server, so files may run in parallel.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
