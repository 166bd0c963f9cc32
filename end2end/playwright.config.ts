import { defineConfig } from '@playwright/test';

// Each target on a port of its own, so a `make run` or `make edge` left running does not clash.
const targets = [
  { name: 'server', port: 3187 },
  { name: 'worker', port: 8797 },
];

// Throwaway values for the test databases only.
process.env.E2E_OWNER_PASSWORD = 'e2e-owner-password';
process.env.E2E_SECRET_KEY = 'ZTJlLXNlYWxpbmcta2V5LWZvci10ZXN0cy1vbmx5ISE';

export default defineConfig({
  testDir: './tests',
  // Two at a time: most of a test is waiting (hydration, the outbox), not computing.
  workers: 2,
  fullyParallel: false,
  // No retries: a test that needs a second try is a failing test, and its cause is a bug.
  retries: 0,
  forbidOnly: !!process.env.CI,
  // A whole flow with every page checked; the debug WASM takes seconds to hydrate here.
  timeout: 300_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    headless: true,
    // A page that never finishes loading fails in half a minute, not at the test's timeout.
    navigationTimeout: 30_000,
    // Traces cost more than the tests on two cores; a failure leaves its screenshot and
    // error-context.md (the page's accessibility tree) in test-results.
    trace: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      // Debian's Chromium (installed by make e2e); Playwright's own download is not reachable here.
      executablePath: '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    },
  },
  projects: targets.map(({ name, port }) => ({ name, use: { baseURL: `http://127.0.0.1:${port}` } })),
  webServer: targets.map(({ name, port }) => ({
    command: `./serve.sh ${name} ${port}`,
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  })),
});
