/**
 * Everything a local run of the app needs besides the Worker: embedded Postgres, its proxy, the
 * database with migrations applied, and the environment the Worker reads (see worker/env.ts).
 * Shared by `npm run dev`, the browser tests and the benchmarks.
 */
import { type LocalPostgres, runningLocalPostgres, startLocalPostgres } from './local-postgres.ts';
import { applyMigrations } from './migrate.ts';
import { localSessionSecret } from './secrets.ts';

export interface LocalBackend {
  postgres: LocalPostgres;
  /** Variables for the Worker; the Cloudflare Vite plugin reads them from process.env. */
  workerEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startLocalBackend(options: {
  owner: string;
  database: string;
  /** Drop and recreate the database first (tests start from nothing). */
  fresh?: boolean;
  /** Reuse a cluster that another of our processes (e.g. `npm run dev`) is running. */
  reuseRunning?: boolean;
}): Promise<LocalBackend> {
  const postgres =
    (options.reuseRunning ? runningLocalPostgres() : undefined) ?? (await startLocalPostgres({ owner: options.owner }));
  try {
    await postgres.createDatabase(options.database, { fresh: options.fresh });
    const databaseUrl = postgres.urlFor(options.database);
    await applyMigrations(databaseUrl, postgres.proxy);
    return {
      postgres,
      workerEnv: {
        DATABASE_URL: databaseUrl,
        DB_PROXY: postgres.proxy,
        SESSION_SECRET: localSessionSecret(),
        DEV_MAILBOX: '1',
      },
      async stop() {
        if (options.fresh) await postgres.dropDatabase(options.database);
        await postgres.stop();
      },
    };
  } catch (error) {
    await postgres.stop();
    throw error;
  }
}
