import { defineConfig } from '@playwright/test';
import { API_URL, CHROMIUM_ARGS, STREAM_TOKEN_SECRET, WEB_URL } from './support/env';

const CI = Boolean(process.env.CI);

/**
 * Real Chromium (Debian's, since Playwright's own download is not reachable here) against the
 * production builds of the api and web, started by Playwright. One worker: the specs share the
 * two servers and the machine has two cores.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  workers: 1,
  forbidOnly: CI,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: WEB_URL,
    browserName: 'chromium',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: [
    {
      command: 'node ../apps/api/dist/main.js',
      url: `${API_URL}/api/health`,
      env: {
        PORT: '4000',
        HOST: '0.0.0.0',
        CORS_ORIGINS: WEB_URL,
        HISTORY_SIZE: '100',
        HEARTBEAT_MS: '1000',
        // Quick retries for the message-queue specs; they assert the delays jobs report, not time.
        RETRY_BASE_MS: '100',
        STREAM_TOKEN_SECRET,
        NO_COLOR: '1',
      },
      reuseExistingServer: !CI,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      command: 'pnpm start',
      cwd: '../apps/web',
      url: WEB_URL,
      env: { API_URL, PORT: '3000', STREAM_TOKEN_SECRET },
      reuseExistingServer: !CI,
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
