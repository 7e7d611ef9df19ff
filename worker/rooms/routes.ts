/**
 * The rooms API, under /api/rooms. Everything needs a session: a room link is only useful to
 * signed-in people, and the owner's name is not for the whole Internet.
 *
 *   POST /                → 201 {id, url}            a new room (throttled per user)
 *   GET  /                → {rooms: [...]}           the user's recent rooms, created or joined
 *   GET  /:id             → {id, url, owner, createdAt, present}   present: who is in the call now
 *   GET  /:id/ws          → 101                      the room's signaling socket (worker/call-room/; throttled per user)
 *
 * Unknown and malformed room ids alike are a 404: a garbled link is simply not a room. The room of
 * a rung call (`POST /api/calls`) is a 403 `room_private` for anyone but its caller and callee.
 */
import { type Context, Hono } from 'hono';
import { callPath, isRoomId } from '../../protocol/rooms.ts';
import { requireUser } from '../auth/session.ts';
import { connectToRoom } from '../call-room/handoff.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { enforce, rule } from '../http/rate-limit.ts';
import { createRoom, findRoom, type RoomAccess, type RoomRecord, recentRooms } from './store.ts';

/** Far above what a person creates by hand, low enough that no script fills the table. */
const CREATE_PER_USER = rule('room-create-user', 60, 60 * 60);
/** Sockets a user may open per minute, in all rooms: reloads and reconnects (backoff) stay far below. */
const SOCKETS_PER_USER = rule('room-socket-user', 30, 60);

export const roomRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post('/', async (c) => {
    await enforce(c.var.db, CREATE_PER_USER, c.var.user.id);
    const room = await createRoom(c.var.db, c.var.user.id);
    return c.json({ id: room.id, url: roomUrl(c, room.id) }, 201);
  })
  .get('/', async (c) => {
    const rooms = await recentRooms(c.var.db, c.var.user.id);
    return c.json({ rooms: rooms.map(({ visitedAt, ...room }) => ({ ...describe(c, room), visitedAt })) });
  })
  .get('/:id', async (c) => {
    const room = await existingRoom(c, c.req.param('id'));
    const present = await c.env.ROOMS.get(c.env.ROOMS.idFromName(room.id)).present();
    return c.json({ ...describe(c, room), present });
  })
  .get('/:id/ws', async (c) => {
    const room = await existingRoom(c, c.req.param('id'));
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new ApiError(426, 'upgrade_required', 'This address speaks WebSocket only.', undefined, {
        Upgrade: 'websocket',
      });
    }
    await enforce(c.var.db, SOCKETS_PER_USER, c.var.user.id);
    // The visit is recorded by the room when the socket joins (worker/call-room/call-room.ts), not for a lobby.
    const invitee = room.inviteeId === c.var.user.id;
    return connectToRoom(c.env, { roomId: room.id, user: c.var.user, sessionId: c.var.sessionId, invitee });
  });

async function existingRoom(c: Context<AppEnv>, id: string): Promise<RoomRecord & RoomAccess> {
  const room = isRoomId(id) ? await findRoom(c.var.db, id) : undefined;
  if (!room) throw new ApiError(404, 'room_not_found', 'There is no room at this address.');
  // A rung call's room (worker/user-line/) is for its caller and callee only.
  if (room.inviteeId && c.var.user.id !== room.ownerId && c.var.user.id !== room.inviteeId) {
    throw new ApiError(403, 'room_private', 'This call is between two other people.');
  }
  return room;
}

function describe(c: Context<AppEnv>, room: RoomRecord) {
  return { id: room.id, url: roomUrl(c, room.id), owner: room.owner, createdAt: room.createdAt };
}

/** The link people share: the SPA's call page on the public origin (APP_URL, else this request's). */
function roomUrl(c: Context<AppEnv>, id: string): string {
  return new URL(callPath(id), c.env.APP_URL || c.req.url).href;
}
