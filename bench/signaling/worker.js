/**
 * The Worker that `npm run bench:signaling` serves: the app, unchanged, plus two bench-only routes,
 * in the same workerd process:
 *   /bench/echo/:room  the echo baseline (echo-room.js), a WebSocket into a trivial relay;
 *   POST /bench/users  {count} → [{id, username, cookie}], signed-in users made with the tests'
 *                      helper, so thousands of them need no password hashing.
 * Never deployed: only bench/signaling/server.ts points wrangler at this file. Plain JavaScript
 * because it runs in workerd while bench/ is type-checked for Node.
 */
import { openDatabase } from '../../worker/db/client.ts';
import app, { CallRoom, UserLine } from '../../worker/index.ts';
import { createSignedInUser } from '../../worker/test-support/accounts.ts';
import { EchoRoom } from './echo-room.js';

export { CallRoom, EchoRoom, UserLine };

const ECHO_PATH = /^\/bench\/echo\/([\w-]{1,64})$/;
/** Users created at once per request: the database pool has ten connections. */
const PARALLEL_USERS = 10;

export default {
  fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    const room = ECHO_PATH.exec(pathname)?.[1];
    if (room) return env.ECHO.get(env.ECHO.idFromName(room)).fetch(request);
    if (pathname === '/bench/users' && request.method === 'POST') return createUsers(request, env);
    return app.fetch(request, env, ctx);
  },
};

async function createUsers(request, env) {
  const { count } = await request.json();
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  try {
    const users = [];
    while (users.length < count) {
      const batch = Math.min(PARALLEL_USERS, count - users.length);
      users.push(
        ...(await Promise.all(Array.from({ length: batch }, () => createSignedInUser(db, env.SESSION_SECRET)))),
      );
    }
    return Response.json(users);
  } finally {
    await close();
  }
}
