/** The Hono environment shared by every route: bindings plus per-request variables. */
import type { MiddlewareHandler } from 'hono';
import { type Database, openDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';

export interface SignedInUser {
  id: string;
  username: string;
  email: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    db: Database;
    user: SignedInUser;
    sessionId: string;
  };
}

/** Opens this request's database pool; it connects on first query and is closed after the response. */
export const withDatabase: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { db, close } = openDatabase(c.env.DATABASE_URL, c.env.DB_PROXY);
  c.set('db', db);
  try {
    await next();
  } finally {
    c.executionCtx.waitUntil(close());
  }
};
