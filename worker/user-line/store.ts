/**
 * What the lines read and write in Postgres: a user's contacts with their names (what a line
 * keeps to ring them), a rung call's room and `calls` row (written by the caller's line while the
 * callee's line rings, for mutual contacts only) and its outcome once the callee's line settled it.
 * When an answered call ended is written with worker/calls/store.ts's `setCallEnded`.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import type { CallOutcome } from '../../protocol/calls.ts';
import type { Person } from '../../protocol/user-line.ts';
import type { Database } from '../db/client.ts';
import { calls, contacts, rooms, users } from '../db/schema.ts';

/** The user's contacts (one per mutual pair), by name. */
export async function contactsOf(db: Database, userId: string): Promise<Person[]> {
  return db
    .select({ userId: contacts.contactId, username: users.username })
    .from(contacts)
    .innerJoin(users, eq(users.id, contacts.contactId))
    .where(eq(contacts.userId, userId))
    .orderBy(asc(users.username));
}

/** The contact `contactId` of `userId`, if they are contacts. */
export async function contactOf(db: Database, userId: string, contactId: string): Promise<Person | undefined> {
  const [found] = await db
    .select({ userId: contacts.contactId, username: users.username })
    .from(contacts)
    .innerJoin(users, eq(users.id, contacts.contactId))
    .where(and(eq(contacts.userId, userId), eq(contacts.contactId, contactId)));
  return found;
}

export interface RingCallRows {
  id: string;
  roomId: string;
  callerId: string;
  calleeId: string;
}

/**
 * If the two are still mutual contacts: a room only they may open, and the call, `ringing`. One
 * statement; false when they are no longer contacts (nothing is written).
 */
export async function storeRingCall(db: Database, call: RingCallRows): Promise<boolean> {
  const { id, roomId, callerId, calleeId } = call;
  const { rows } = await db.execute<{ id: string }>(sql`
    with pair as (
      select 1 from ${contacts} where ${contacts.userId} = ${callerId} and ${contacts.contactId} = ${calleeId}
    ), room as (
      insert into ${rooms} (id, owner_id, invitee_id)
      select ${roomId}, ${callerId}, ${calleeId} from pair
      returning id
    )
    insert into ${calls} (id, kind, caller_id, callee_id, room_id, outcome)
    select ${id}, 'ring', ${callerId}, ${calleeId}, room.id, 'ringing' from room
    returning id`);
  return rows.length === 1;
}

/** Writes the one outcome of a ringing call; an answered call starts, any other ends now. */
export async function settleCall(db: Database, callId: string, outcome: CallOutcome): Promise<void> {
  const answered = outcome === 'answered';
  await db
    .update(calls)
    .set({ outcome, answeredAt: answered ? sql`now()` : null, endedAt: answered ? null : sql`now()` })
    .where(and(eq(calls.id, callId), eq(calls.outcome, 'ringing')));
}

/** A rung call that failed: its room goes, and its row with it (in nobody's history). */
export async function forgetRingCall(db: Database, roomId: string): Promise<void> {
  await db.delete(rooms).where(eq(rooms.id, roomId));
}
