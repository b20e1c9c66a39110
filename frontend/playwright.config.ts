import { defineConfig, devices } from '@playwright/test';

// The server under test is started by the caller (Makefile / CI) with demo data.
// This config deliberately has no `webServer` section.
const baseURL = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:8000';

export default defineConfig({
  testDir: './tests',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results',
  use: {
    baseURL,
    locale: 'vi-VN',
    screenshot: 'only-on-failure',
    trace: 'off',
    // the slow-network mode (tests/fixtures.ts) delays chunks; a service worker would serve them from its cache
    serviceWorkers: process.env.E2E_SLOW_CHUNKS_MS ? 'block' : 'allow',
    ...devices['Desktop Chrome'],
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium' }],
});
