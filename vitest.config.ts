import { cloudflareTest } from '@cloudflare/vitest-plugin';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['./scripts/test/backend.ts'],
    projects: [
      {
        // The Worker and its Durable Objects, in workerd, against the real test database.
        plugins: [
          cloudflareTest(({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            miniflare: { bindings: { ...inject('workerEnv'), RESEND_API_KEY: '' } },
          })),
        ],
        // Password hashing makes some tests seconds long on a busy 2-core machine: a hang bound, not a speed check.
        test: { name: 'worker', include: ['worker/**/*.test.ts'], testTimeout: 30_000 },
      },
      // UI-free browser code (call engine, stats, chat) whose pure parts run in plain Node.
      { test: { name: 'web', include: ['web/**/*.test.ts'], environment: 'node' } },
      // The local tooling (embedded Postgres, its proxy, the test command's checks) in plain Node.
      { test: { name: 'scripts', include: ['scripts/**/*.test.ts'], environment: 'node', testTimeout: 60_000 } },
      {
        // Real Chromium against the built app on a free port (e2e/support/global-setup.ts). One file
        // at a time, after the other projects: browsers and calls are CPU-heavy on a 2-core machine
        // and would skew the timing checks of the worker tests (and the call measurements here).
        test: {
          name: 'browser',
          sequence: { groupOrder: 1 },
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./e2e/support/global-setup.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // Pages answer in milliseconds, but a loaded 2-core machine can stall them for seconds.
          expect: { poll: { timeout: 15_000 } },
        },
      },
    ],
  },
});
