/**
 * What the ringing reads and writes in Postgres: a rung call's room and `calls` row, for mutual
 * contacts only (made by `POST /api/calls` before the callee's line rings) and its outcome once the callee's line settled
 * it. When an answered call ended is written with worker/calls/store.ts's `setCallEnded`.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { CallOutcome } from '../../protocol/calls.ts';
import type { Person } from '../../protocol/user-line.ts';
import type { Database } from '../db/client.ts';
import { calls, contacts, rooms, users } from '../db/schema.ts';
import { newRoomId } from '../rooms/ids.ts';

export interface NewRingCall {
  id: string;
  roomId: string;
  callee: Person;
}

/**
 * If the two are mutual contacts: a room only they may open, and the call, `ringing`. One
 * statement (one round trip before the callee's phone rings); undefined when they are not contacts.
 */
export async function createRingCall(
  db: Database,
  callerId: string,
  calleeId: string,
): Promise<NewRingCall | undefined> {
  const { rows } = await db.execute<{ id: string; room_id: string; username: string }>(sql`
    with pair as (
      select ${users.username} from ${contacts}
        join ${users} on ${users.id} = ${contacts.contactId}
       where ${contacts.userId} = ${callerId} and ${contacts.contactId} = ${calleeId}
    ), room as (
      insert into ${rooms} (id, owner_id, invitee_id)
      select ${newRoomId()}, ${callerId}, ${calleeId} from pair
      returning id
    ), call as (
      insert into ${calls} (kind, caller_id, callee_id, room_id, outcome)
      select 'ring', ${callerId}, ${calleeId}, room.id, 'ringing' from room
      returning id, room_id
    )
    select call.id, call.room_id, pair.username from call, pair`);
  const [row] = rows;
  return row && { id: row.id, roomId: row.room_id, callee: { userId: calleeId, username: row.username } };
}

/** Writes the one outcome of a ringing call; an answered call starts, any other ends now. */
export async function settleCall(db: Database, callId: string, outcome: CallOutcome): Promise<void> {
  const answered = outcome === 'answered';
  await db
    .update(calls)
    .set({ outcome, answeredAt: answered ? sql`now()` : null, endedAt: answered ? null : sql`now()` })
    .where(and(eq(calls.id, callId), eq(calls.outcome, 'ringing')));
}
