import { defineConfig } from 'vitest/config';

// One project per kind of test. `npm test` runs them all; `npm run test:<name>` one.
// Tests that need storage start the embedded stand-ins themselves (test/support/local-aws.ts),
// per file, so unit tests never touch a socket.
const common = {
  environment: 'node',
  // The handlers' metrics have no CloudWatch here; a test that checks them switches them on.
  env: { POWERTOOLS_METRICS_DISABLED: 'true', POWERTOOLS_LOG_LEVEL: 'WARN' },
} as const;

export default defineConfig({
  test: {
    reporters: process.env.CI ? ['default', ['json', { outputFile: '.vitest-report.json' }]] : ['default'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          ...common,
          // Generous: other suites share the 2 cores; no unit test asserts on its own speed.
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          ...common,
          // Generous: a test here may start several `duban` processes (tsx compiles on start) or
          // Chromium; on a 2-core machine that other suites keep busy, one such start takes
          // tens of seconds. No test here asserts on its own speed.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'infra',
          include: ['test/infra/**/*.test.ts'],
          ...common,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          // The app is synthesised once (esbuild bundling is CPU-heavy) and shared by every
          // file: one worker, files one after another, modules not isolated between files.
          fileParallelism: false,
          isolate: false,
          globalSetup: ['test/infra/support/global-setup.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          ...common,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          ...common,
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
