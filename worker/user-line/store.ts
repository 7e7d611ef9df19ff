/**
 * What the ringing reads and writes in Postgres: a rung call's room and `calls` row (made by
 * `POST /api/calls` before the callee's line rings), its outcome once the callee's line settled it,
 * and when an answered call ended. Contacts are read through worker/contacts/store.ts.
 */
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { CallOutcome } from '../../protocol/calls.ts';
import type { Person } from '../../protocol/user-line.ts';
import type { Database } from '../db/client.ts';
import { calls, rooms, users } from '../db/schema.ts';
import { newRoomId } from '../rooms/ids.ts';

export interface NewRingCall {
  id: string;
  roomId: string;
  callee: Person;
}

/** A room only the two of them may open, and the call, `ringing`. */
export async function createRingCall(db: Database, callerId: string, calleeId: string): Promise<NewRingCall> {
  return db.transaction(async (tx) => {
    const [room] = await tx
      .insert(rooms)
      .values({ id: newRoomId(), ownerId: callerId, inviteeId: calleeId })
      .returning({ id: rooms.id });
    const [callee] = await tx.select({ username: users.username }).from(users).where(eq(users.id, calleeId));
    if (!room || !callee) throw new Error('ring call insert found no room or callee');
    const [call] = await tx
      .insert(calls)
      .values({ kind: 'ring', callerId, calleeId, roomId: room.id, outcome: 'ringing' })
      .returning({ id: calls.id });
    if (!call) throw new Error('ring call insert returned nothing');
    return { id: call.id, roomId: room.id, callee: { userId: calleeId, username: callee.username } };
  });
}

/** Writes the one outcome of a ringing call; an answered call starts, any other ends now. */
export async function settleCall(db: Database, callId: string, outcome: CallOutcome): Promise<void> {
  const answered = outcome === 'answered';
  await db
    .update(calls)
    .set({ outcome, answeredAt: answered ? sql`now()` : null, endedAt: answered ? null : sql`now()` })
    .where(and(eq(calls.id, callId), eq(calls.outcome, 'ringing')));
}

/** An answered call is over (someone left its room); the first to say so sets the time. */
export async function endCall(db: Database, callId: string): Promise<void> {
  await db
    .update(calls)
    .set({ endedAt: sql`now()` })
    .where(and(eq(calls.id, callId), eq(calls.outcome, 'answered'), isNull(calls.endedAt)));
}
