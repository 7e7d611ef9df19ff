/**
 * The only door into a user's line: the Worker, once it has checked the session cookie, hands the
 * WebSocket upgrade to the user's own Durable Object with the verified user and session, in a
 * request built from scratch (as worker/call-room/handoff.ts does for rooms, for the same reasons).
 */
import * as v from 'valibot';
import type { Env } from '../env.ts';

const HANDOFF_HEADER = 'x-edgecall-line-handoff';

const LineHandoffSchema = v.object({
  user: v.object({ id: v.string(), username: v.string() }),
  /** The session that opened the line: the line stops serving it once that session ends. */
  sessionId: v.string(),
});
export type LineHandoff = v.InferOutput<typeof LineHandoffSchema>;

/** The user's line. */
export const lineOf = (env: Env, userId: string) => env.USER_LINES.get(env.USER_LINES.idFromName(userId));

/** Forwards a WebSocket upgrade for the verified user to their line. */
export async function connectToLine(env: Env, { user, sessionId }: LineHandoff): Promise<Response> {
  const response = await lineOf(env, user.id).fetch('https://user-line.internal/connect', {
    headers: {
      upgrade: 'websocket',
      [HANDOFF_HEADER]: JSON.stringify({ user: { id: user.id, username: user.username }, sessionId }),
    },
  });
  // A stub's response has immutable headers, and the app's middleware adds its own to every response.
  const { status, statusText, headers, webSocket, body } = response;
  return new Response(body, { status, statusText, headers, webSocket });
}

/** The line's side: who the Worker says is connecting, or undefined for anything else. */
export function readLineHandoff(request: Request): LineHandoff | undefined {
  if (request.headers.get('upgrade')?.toLowerCase() !== 'websocket') return undefined;
  try {
    return v.parse(LineHandoffSchema, JSON.parse(request.headers.get(HANDOFF_HEADER) ?? ''));
  } catch {
    return undefined;
  }
}
