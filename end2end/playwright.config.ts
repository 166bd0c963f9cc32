import { defineConfig } from '@playwright/test';

// Each target on a port of its own, so a `make run` or `make edge` left running does not clash.
// The dev-mode targets (demo organisation, dev mailbox) run every test but first-run's; a
// second pair runs as deployed, on an empty database, for the first-run setup test only.
const FIRST_RUN = /first-run\.spec\.ts/;
const targets = [
  { name: 'server', port: 3187, mode: 'dev' },
  { name: 'worker', port: 8797, mode: 'dev' },
  { name: 'server', port: 3188, mode: 'first-run' },
  { name: 'worker', port: 8798, mode: 'first-run' },
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
  projects: targets.map(({ name, port, mode }) => ({
    name: mode === 'dev' ? name : `${name} (${mode})`,
    use: { baseURL: `http://127.0.0.1:${port}` },
    ...(mode === 'dev' ? { testIgnore: FIRST_RUN } : { testMatch: FIRST_RUN }),
  })),
  webServer: targets.map(({ name, port, mode }) => ({
    command: `./serve.sh ${name} ${port} ${mode}`,
    url: `http://127.0.0.1:${port}/login`,
    reuseExistingServer: false,
    timeout: 180_000,
    stdout: 'pipe',
    stderr: 'pipe',
  })),
});
