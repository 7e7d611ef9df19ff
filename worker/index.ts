/**
 * The Worker's entry: the Hono app handles HTTP; the daily Cron Trigger prunes stale rows;
 * CallRoom is the call rooms' Durable Object class, UserLine the users' lines (presence, ringing).
 */
import { app } from './app.ts';
import { usingDatabase } from './db/client.ts';
import { pruneStaleRows } from './db/prune.ts';
import type { Env } from './env.ts';

export { CallRoom } from './call-room/call-room.ts';
export { UserLine } from './user-line/user-line.ts';

export default {
  fetch: app.fetch,
  async scheduled(_controller, env) {
    await usingDatabase(env, pruneStaleRows);
  },
} satisfies ExportedHandler<Env>;
