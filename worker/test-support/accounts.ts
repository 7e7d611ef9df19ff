/**
 * Signed-in users without the signup form, for the Worker's tests (in workerd) and for the
 * benchmarks (in Node): a user row, then a real session made by session.ts's own `startSession`,
 * handed back as the Cookie header a browser would send. No password hashing, so thousands of
 * users take seconds. Never imported by the Worker.
 */
import { Hono } from 'hono';
import { startSession } from '../auth/session.ts';
import type { Database } from '../db/client.ts';
import { users } from '../db/schema.ts';
import type { Env } from '../env.ts';
import type { AppEnv } from '../http/context.ts';

export interface SignedInUser {
  id: string;
  username: string;
  /** `session=…`, ready for a Cookie header. */
  cookie: string;
}

export async function createSignedInUser(
  db: Database,
  sessionSecret: string,
  username = `u_${crypto.randomUUID().slice(0, 13)}`,
): Promise<SignedInUser> {
  const [user] = await db
    .insert(users)
    .values({ username, email: `${username}@example.test`, passwordHash: 'none: signed in by a test helper' })
    .returning({ id: users.id, username: users.username });
  if (!user) throw new Error('user insert returned nothing');
  const sessions = new Hono<AppEnv>().post('/', async (c) => {
    c.set('db', db);
    await startSession(c, user.id);
    return c.body(null, 204);
  });
  const response = await sessions.request('http://localhost/', { method: 'POST' }, {
    SESSION_SECRET: sessionSecret,
  } as Env);
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!cookie) throw new Error(`no session cookie (status ${response.status})`);
  return { ...user, cookie };
}
