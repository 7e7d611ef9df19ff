import { cloudflareTest } from '@cloudflare/vitest-pool-workers';
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
        test: { name: 'worker', include: ['worker/**/*.test.ts'] },
      },
      // UI-free browser code (call engine, stats, chat) whose pure parts run in plain Node.
      { test: { name: 'web', include: ['web/**/*.test.ts'], environment: 'node' } },
    ],
  },
});
