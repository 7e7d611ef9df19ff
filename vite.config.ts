import { cloudflare } from '@cloudflare/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  publicDir: 'public',
  build: { outDir: '../dist', emptyOutDir: true },
  plugins: [
    preact(),
    cloudflare({
      configPath: '../wrangler.toml',
      // Browser tests and benchmarks set EDGECALL_EPHEMERAL_STATE=1: their Durable Objects start empty every run.
      persistState: process.env.EDGECALL_EPHEMERAL_STATE === '1' ? false : { path: '../.wrangler/state' },
    }),
  ],
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 4173), strictPort: true },
});
