/** The Worker's entry: the Hono app handles HTTP; CallRoom is the call rooms' Durable Object class. */
import { app } from './app.ts';
import type { Env } from './env.ts';

export { CallRoom } from './rooms/call-room.ts';

export default { fetch: app.fetch } satisfies ExportedHandler<Env>;
