/** Rooms and room visits in Postgres: what the rooms API reads and writes. */
import { desc, eq, sql } from 'drizzle-orm';
import type { Database } from '../db/client.ts';
import { rooms, roomVisits, users } from '../db/schema.ts';
import { newRoomId } from './ids.ts';

export interface RoomRecord {
  id: string;
  owner: { username: string };
  createdAt: Date;
}

/** Who may open a room: anyone signed in, unless it is a rung call's room (owner and invitee only). */
export interface RoomAccess {
  ownerId: string;
  inviteeId: string | null;
}

/** How many rooms "recent rooms" lists. */
const RECENT_ROOMS = 10;

/** Creates a room owned by the user, who has visited it by creating it. */
export async function createRoom(db: Database, ownerId: string): Promise<{ id: string; createdAt: Date }> {
  return db.transaction(async (tx) => {
    const [room] = await tx
      .insert(rooms)
      .values({ id: newRoomId(), ownerId })
      .returning({ id: rooms.id, createdAt: rooms.createdAt });
    if (!room) throw new Error('room insert returned nothing');
    await tx.insert(roomVisits).values({ userId: ownerId, roomId: room.id, visitedAt: room.createdAt });
    return room;
  });
}

const roomColumns = { id: rooms.id, owner: { username: users.username }, createdAt: rooms.createdAt };

export async function findRoom(db: Database, id: string): Promise<(RoomRecord & RoomAccess) | undefined> {
  const [room] = await db
    .select({ ...roomColumns, ownerId: rooms.ownerId, inviteeId: rooms.inviteeId })
    .from(rooms)
    .innerJoin(users, eq(users.id, rooms.ownerId))
    .where(eq(rooms.id, id));
  return room;
}

/** Marks that the user joined the room now (it moves to the top of their recent rooms). */
export async function recordVisit(db: Database, userId: string, roomId: string): Promise<void> {
  await db
    .insert(roomVisits)
    .values({ userId, roomId })
    .onConflictDoUpdate({ target: [roomVisits.userId, roomVisits.roomId], set: { visitedAt: sql`now()` } });
}

/** The rooms the user created or joined, most recently visited first. */
export async function recentRooms(db: Database, userId: string): Promise<(RoomRecord & { visitedAt: Date })[]> {
  return db
    .select({ ...roomColumns, visitedAt: roomVisits.visitedAt })
    .from(roomVisits)
    .innerJoin(rooms, eq(rooms.id, roomVisits.roomId))
    .innerJoin(users, eq(users.id, rooms.ownerId))
    .where(eq(roomVisits.userId, userId))
    .orderBy(desc(roomVisits.visitedAt))
    .limit(RECENT_ROOMS);
}
