/**
 * Time travel for room tests: the liveness window is 30 s, and tests do not wait. This makes a
 * room believe a user went quiet `ms` ago, by moving back the times it keeps (the user's socket
 * attachments and absence record). PING times are kept by the runtime and cannot be moved: a PING
 * sent after this counts as a fresh sign of life, which is what the tests of auto-responses use.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { absenceKey } from '../rooms/absences.ts';
import type { Connection } from '../rooms/connection.ts';

export async function quietFor(roomId: string, userId: string, ms: number): Promise<void> {
  const stub = env.ROOMS.get(env.ROOMS.idFromName(roomId));
  await runInDurableObject(stub, (_room, state) => {
    for (const ws of state.getWebSockets()) {
      const conn = ws.deserializeAttachment() as Connection;
      if (conn.userId === userId) ws.serializeAttachment({ ...conn, lastMessageAt: conn.lastMessageAt - ms });
    }
    const away = state.storage.kv.get<number>(absenceKey(userId));
    if (away !== undefined) state.storage.kv.put(absenceKey(userId), away - ms);
  });
}
