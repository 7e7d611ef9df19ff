/**
 * Postgres through `@neondatabase/serverless` over WebSockets: Neon in production, and locally the
 * embedded Postgres behind the loopback proxy (`DB_PROXY`), so both run the very same driver.
 * A Worker may not reuse a connection across requests, so each request opens its own pool.
 */
import { neonConfig, Pool } from '@neondatabase/serverless';
import { drizzle } from 'drizzle-orm/neon-serverless';
import * as schema from './schema.ts';

export type Database = ReturnType<typeof drizzle<typeof schema>>;

/**
 * Points the driver at a local, unencrypted proxy instead of Neon's TLS endpoint. The local cluster
 * takes the password as Neon does (scripts/lib/postgres-server.ts), so the driver sends it with the
 * startup message, as in production: one round trip and no key derivation per connection.
 */
export function useLocalProxy(proxy: string): void {
  neonConfig.wsProxy = (host, port) => `${proxy}/v1?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  neonConfig.pipelineConnect = 'password';
}

export function openDatabase(connectionString: string, proxy = ''): { db: Database; close(): Promise<void> } {
  if (proxy) useLocalProxy(proxy);
  const pool = new Pool({ connectionString });
  return { db: drizzle({ client: pool, schema }), close: () => pool.end() };
}

/** Runs `work` on a pool of its own, closed afterwards: for work outside a request (cron, Durable Objects). */
export async function usingDatabase<T>(
  env: { DATABASE_URL: string; DB_PROXY: string },
  work: (db: Database) => Promise<T>,
): Promise<T> {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  try {
    return await work(db);
  } finally {
    await close();
  }
}
