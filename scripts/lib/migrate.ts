/** Applies pending drizzle migrations through the same driver and proxy the Worker uses. */
import { resolve } from 'node:path';
import { neonConfig } from '@neondatabase/serverless';
import { migrate } from 'drizzle-orm/neon-serverless/migrator';
import { WebSocket } from 'ws';
import { openDatabase } from '../../worker/db/client.ts';

neonConfig.webSocketConstructor = WebSocket;

export async function applyMigrations(databaseUrl: string, proxy: string): Promise<void> {
  const { db, close } = openDatabase(databaseUrl, proxy);
  try {
    await migrate(db, { migrationsFolder: resolve(import.meta.dirname, '../../drizzle') });
  } finally {
    await close();
  }
}
