import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Handlers log JSON per request; in tests only their errors are worth reading.
    env: { POWERTOOLS_LOG_LEVEL: 'ERROR' },
    // Three files at once on two cores: integration and browser files spend much of their time
    // waiting (simulated GitHub latency, queue polls, timers), so one per core less one — vitest's
    // default, a single worker here — left a core idle: 653 s against 371 s on the 2-core machine.
    maxWorkers: 3,
    // Integration tests start their own embedded stack per file on free ports.
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          // A real browser (Chromium from @sparticuz/chromium) against the local stack.
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/support/extract-chromium.ts'],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          testTimeout: 120_000,
          // Synthesising the whole stack once for a file takes seconds, more on a busy machine.
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
