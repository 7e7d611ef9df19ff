/**
 * `npm run dev`: one command, no config. Starts embedded Postgres and its proxy, applies pending
 * migrations, then serves the Worker (in workerd) and the SPA with hot reload on one URL.
 * Ctrl-C stops everything it started.
 */
import { createServer } from 'vite';
import { startLocalBackend } from './lib/local-app.ts';
import { explainSetupErrors } from './lib/local-setup-error.ts';

async function main(): Promise<void> {
  const backend = await explainSetupErrors(startLocalBackend({ owner: 'npm run dev', database: 'edgecall' }));
  Object.assign(process.env, backend.workerEnv);
  // A required secret in wrangler.toml: empty means "no provider", so mail goes to the dev mailbox.
  process.env.RESEND_API_KEY ??= '';

  let server: Awaited<ReturnType<typeof createServer>> | undefined;
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await server?.close().catch(() => {});
    await backend.stop().catch((error) => console.error(error));
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));
  process.on('SIGHUP', () => void stop(0));

  try {
    server = await createServer({ configFile: new URL('../vite.config.ts', import.meta.url).pathname });
    await server.listen();
  } catch (error) {
    console.error(error);
    await stop(1);
    return;
  }
  server.printUrls();
  const mailbox = process.env.RESEND_API_KEY
    ? 'off: mail goes out through Resend (RESEND_API_KEY is set)'
    : `mail the app sends is announced here and listed at ${new URL('/dev/mail', server.resolvedUrls?.local[0] ?? 'http://localhost:5173')}`;
  console.log(`  Dev mailbox: ${mailbox}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
