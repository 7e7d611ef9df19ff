/**
 * GET /api/turn-credentials?room=<id> → {iceServers, expiresAt, relay} (ice-servers.ts), for a
 * signed-in user with an open socket in that room, in its lobby or in its call: a relay is for a
 * call, not for anyone with an account. The room's Durable Object says whether there is one.
 * Throttled per user: a client asks when its room socket opens, on ICE restarts and before expiry.
 *
 *   400 `invalid_input` (field `room`): no room, or not a room id
 *   403 `not_in_room`: no open socket of this user in that room
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { isRoomId } from '../../protocol/rooms.ts';
import { requireUser } from '../auth/session.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { enforce, rule } from '../http/rate-limit.ts';
import { query } from '../http/validate.ts';
import { iceConfig } from './ice-servers.ts';

const PER_USER = rule('turn-credentials-user', 30, 5 * 60);

const TurnQuerySchema = v.object({
  room: v.pipe(v.string('Name the room the credentials are for.'), v.check(isRoomId, 'That is not a room id.')),
});

export const turnRoutes = new Hono<AppEnv>().use(requireUser).get('/', query(TurnQuerySchema), async (c) => {
  const { room } = c.req.valid('query');
  await enforce(c.var.db, PER_USER, c.var.user.id);
  if (!(await c.env.ROOMS.get(c.env.ROOMS.idFromName(room)).hasSocket(c.var.user.id))) {
    throw new ApiError(403, 'not_in_room', 'Open the call first: relay credentials are for people in it.');
  }
  // Credentials are personal and short-lived: no cache may keep them.
  c.header('Cache-Control', 'no-store');
  return c.json(await iceConfig(c.env, c.var.user.id, room));
});
