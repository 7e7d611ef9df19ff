import { cloudflare } from '@cloudflare/vite-plugin';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * Secrets a local `npm run dev` may take from the shell (e.g. a local coturn's TURN_SECRET). wrangler
 * only loads the secrets wrangler.toml marks as required, and a deployed Worker must not require these,
 * so the dev server passes them itself. Never in a build: nothing here can end up in deployed config.
 */
const OPTIONAL_DEV_SECRETS = ['TURN_SECRET', 'TURN_KEY_API_TOKEN'];

function devSecrets(): Record<string, string> {
  return Object.fromEntries(
    OPTIONAL_DEV_SECRETS.flatMap((name) => (process.env[name] ? [[name, process.env[name] as string]] : [])),
  );
}

export default defineConfig(({ command, isPreview }) => ({
  root: 'web',
  publicDir: 'public',
  build: { outDir: '../dist', emptyOutDir: true },
  plugins: [
    preact(),
    cloudflare({
      configPath: '../wrangler.toml',
      // Browser tests and benchmarks set EDGECALL_EPHEMERAL_STATE=1: their Durable Objects start empty every run.
      persistState: process.env.EDGECALL_EPHEMERAL_STATE === '1' ? false : { path: '../.wrangler/state' },
      config: (worker) => (command === 'serve' && !isPreview ? { vars: { ...worker.vars, ...devSecrets() } } : {}),
    }),
  ],
  server: { port: Number(process.env.PORT ?? 5173), strictPort: true },
  preview: { port: Number(process.env.PORT ?? 4173), strictPort: true },
}));
