/**
 * The only door into a room: the Worker, once it has checked the session cookie and the room,
 * hands the WebSocket upgrade to the room's Durable Object together with the verified user.
 *
 * The request to the Durable Object is built here from scratch, so nothing the browser sent
 * (cookies, headers, identity claims) reaches the room; and a Durable Object is reachable only
 * through its binding, never from the Internet, so the room can trust the header it reads.
 */
import * as v from 'valibot';
import type { Env } from '../env.ts';

const HANDOFF_HEADER = 'x-edgecall-handoff';

const HandoffSchema = v.object({
  roomId: v.string(),
  user: v.object({ id: v.string(), username: v.string() }),
  /** The session that opened the socket: the room stops serving it once that session ends. */
  sessionId: v.string(),
  /** The user is the invitee of the rung call that made this room: they may stand by (protocol: Standby). */
  invitee: v.optional(v.boolean()),
});
export type Handoff = v.InferOutput<typeof HandoffSchema>;

/** Forwards a WebSocket upgrade for the verified user to the room's Durable Object. */
export async function connectToRoom(env: Env, handoff: Handoff): Promise<Response> {
  const room = env.ROOMS.get(env.ROOMS.idFromName(handoff.roomId));
  const { roomId, user, sessionId, invitee } = handoff;
  const response = await room.fetch('https://call-room.internal/connect', {
    headers: {
      upgrade: 'websocket',
      // Only what the room needs: never the email, nor anything the browser sent.
      [HANDOFF_HEADER]: JSON.stringify({
        roomId,
        user: { id: user.id, username: user.username },
        sessionId,
        invitee: invitee === true,
      }),
    },
  });
  // A stub's response has immutable headers, and the app's middleware adds its own to every response.
  const { status, statusText, headers, webSocket, body } = response;
  return new Response(body, { status, statusText, headers, webSocket });
}

/** The room's side: who the Worker says is connecting, or undefined for anything else. */
export function readHandoff(request: Request): Handoff | undefined {
  if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return undefined;
  try {
    return v.parse(HandoffSchema, JSON.parse(request.headers.get(HANDOFF_HEADER) ?? ''));
  } catch {
    return undefined;
  }
}
