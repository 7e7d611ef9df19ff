/**
 * Time travel for room tests: the liveness window is 30 s, the lobby timeout 10 minutes and the
 * session check interval 30 s, and tests do not wait. These make a room believe that time has
 * passed, by moving back the times it keeps (socket attachments, absence records, the last session
 * check). PING times are kept by the runtime and cannot be moved: a PING sent after this counts as
 * a fresh sign of life, which is what the tests of auto-responses use.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { absenceKey } from '../call-room/absences.ts';
import { type Connection, Connections } from '../call-room/connection.ts';
import { checkedAt, setCheckedAt } from '../call-room/sweeps.ts';

const room = (roomId: string) => env.ROOMS.get(env.ROOMS.idFromName(roomId));

/** The user went quiet `ms` ago: their sockets' last messages and their absence record move back. */
export async function quietFor(roomId: string, userId: string, ms: number): Promise<void> {
  await runInDurableObject(room(roomId), (_room, state) => {
    rewrite(state, userId, (conn) => ({ lastMessageAt: conn.lastMessageAt - ms }));
    const away = state.storage.kv.get<number>(absenceKey(userId));
    if (away !== undefined) state.storage.kv.put(absenceKey(userId), away - ms);
  });
}

/** The user's sockets opened `ms` earlier than they did. */
export async function openedEarlier(roomId: string, userId: string, ms: number): Promise<void> {
  await runInDurableObject(room(roomId), (_room, state) => {
    rewrite(state, userId, (conn) => ({ openedAt: conn.openedAt - ms }));
  });
}

/**
 * The room's sessions were last checked `ms` earlier than they were (as if its alarm were late),
 * through the room's own reads and writes, so its memory of that time moves too.
 */
export async function sessionsCheckedEarlier(roomId: string, ms: number): Promise<void> {
  await runInDurableObject(room(roomId), (_room, state) => {
    setCheckedAt(state.storage, checkedAt(state.storage) - ms);
  });
}

/** Through the room's own reads and writes, so the room's memory of the connection moves too. */
function rewrite(state: DurableObjectState, userId: string, change: (conn: Connection) => Partial<Connection>) {
  const connections = new Connections(state);
  for (const ws of state.getWebSockets()) {
    const conn = connections.get(ws);
    if (conn.userId === userId) connections.save(ws, { ...conn, ...change(conn) });
  }
}
