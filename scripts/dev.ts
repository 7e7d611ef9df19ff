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
  console.log('  Dev mailbox: mail the app sends is printed here and listed at /dev/mail\n');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
