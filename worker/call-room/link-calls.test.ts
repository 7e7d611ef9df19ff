/**
 * Calls through a room link land in the call history: two people seated together are a `link`
 * call from the one who sat first, ended when one leaves, continued when someone is back within
 * the liveness window; the room of a rung call records nothing of its own.
 */
import { runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { LIVENESS_WINDOW_MS } from '../../protocol/signaling.ts';
import { openTestDatabase } from '../auth/testing.ts';
import { callHistory, startLinkCall } from '../calls/store.ts';
import { calls, rooms } from '../db/schema.ts';
import { newRoomId } from '../rooms/ids.ts';
import { connectDirectly, type RoomUser, sessionOf } from '../test-support/room-socket.ts';
import { LINK_CALL } from './link-calls.ts';

const { db, close } = openTestDatabase();
afterAll(close);

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });

const callsIn = (roomId: string) =>
  db
    .select({
      kind: calls.kind,
      callerId: calls.callerId,
      calleeId: calls.calleeId,
      outcome: calls.outcome,
      answeredAt: calls.answeredAt,
      endedAt: calls.endedAt,
    })
    .from(calls)
    .where(eq(calls.roomId, roomId))
    .orderBy(calls.createdAt);

async function seat(roomId: string, user: RoomUser) {
  const socket = await connectDirectly(roomId, user);
  await socket.join();
  return socket;
}

/** The call the room holds as current. */
async function currentCall(roomId: string): Promise<object | undefined> {
  return runInDurableObject(env.ROOMS.get(env.ROOMS.idFromName(roomId)), (_room, state) =>
    state.storage.kv.get<object>(LINK_CALL),
  );
}

/** The room believes its current call ended `ms` earlier than it did. */
async function endedEarlier(roomId: string, ms: number): Promise<void> {
  await runInDurableObject(env.ROOMS.get(env.ROOMS.idFromName(roomId)), (_room, state) => {
    const current = state.storage.kv.get<{ endedAt: number }>(LINK_CALL);
    if (current) state.storage.kv.put(LINK_CALL, { ...current, endedAt: current.endedAt - ms });
  });
}

describe('link calls', () => {
  it('two people seated together are a call from the first, answered at once, ended when one leaves', async () => {
    const roomId = newRoomId();
    const [alice, bob] = [person('alice'), person('bob')];
    const a = await seat(roomId, alice);
    expect(await callsIn(roomId)).toEqual([]); // alone is no call
    const b = await seat(roomId, bob);
    await expect
      .poll(() => callsIn(roomId))
      .toEqual([
        {
          kind: 'link',
          callerId: alice.id,
          calleeId: bob.id,
          outcome: 'answered',
          answeredAt: expect.any(Date),
          endedAt: null,
        },
      ]);
    b.send({ type: 'bye' });
    await expect.poll(async () => (await callsIn(roomId))[0]?.endedAt).toEqual(expect.any(Date));
    a.send({ type: 'bye' });

    const [call] = await callsIn(roomId);
    expect(call?.endedAt?.getTime()).toBeGreaterThanOrEqual(call?.answeredAt?.getTime() ?? Number.NaN);
    const [forAlice, forBob] = await Promise.all([callHistory(db, alice.id, 5), callHistory(db, bob.id, 5)]);
    expect(forAlice.calls).toMatchObject([{ kind: 'link', direction: 'outgoing', other: { userId: bob.id } }]);
    expect(forBob.calls).toMatchObject([{ kind: 'link', direction: 'incoming', other: { userId: alice.id } }]);
    expect(forBob.calls[0]?.durationSeconds).toEqual(expect.any(Number));
  });

  it('someone back within the liveness window continues the same call; later, it is a new one', async () => {
    const roomId = newRoomId();
    const [alice, bob] = [person('alice'), person('bob')];
    await seat(roomId, alice);
    const dropped = await seat(roomId, bob);
    dropped.ws.close(4000, 'network gone'); // no bye: the seat waits for Bob
    await expect.poll(async () => (await callsIn(roomId))[0]?.endedAt).toEqual(expect.any(Date));

    const back = await seat(roomId, bob);
    await expect.poll(async () => (await callsIn(roomId)).map((c) => c.endedAt)).toEqual([null]);

    back.send({ type: 'bye' });
    await expect.poll(async () => (await callsIn(roomId))[0]?.endedAt).toEqual(expect.any(Date));
    await endedEarlier(roomId, LIVENESS_WINDOW_MS);
    await seat(roomId, bob);
    await expect.poll(async () => (await callsIn(roomId)).map((c) => c.endedAt)).toEqual([expect.any(Date), null]);
  });

  it('a newer tab taking over a seat keeps the call going', async () => {
    const roomId = newRoomId();
    const [alice, bob] = [person('alice'), person('bob')];
    await seat(roomId, alice);
    await seat(roomId, bob);
    const before = await currentCall(roomId);
    await seat(roomId, bob); // replaces the first tab (4002)
    expect(await currentCall(roomId)).toEqual({ ...before, endedAt: null });
    await expect.poll(async () => (await callsIn(roomId)).map((c) => c.endedAt)).toEqual([null]);
  });

  it('the room of a rung call records no call of its own', async () => {
    const roomId = newRoomId();
    const [alice, bob] = [person('alice'), person('bob')];
    await Promise.all([sessionOf(alice), sessionOf(bob)]);
    await db.insert(rooms).values({ id: roomId, ownerId: alice.id, inviteeId: bob.id });
    await seat(roomId, alice);
    const b = await seat(roomId, bob);
    b.send({ type: 'bye' });
    // A link call in another room, seated after this one, shows the room's writes are done.
    const other = newRoomId();
    await seat(other, alice);
    await seat(other, bob);
    await expect.poll(async () => (await callsIn(other)).length).toBe(1);
    expect(await callsIn(roomId)).toEqual([]);
  });
});

describe('startLinkCall', () => {
  it('records a call in a room reached by its link, and none in the room of a rung call', async () => {
    const [alice, bob] = [person('alice'), person('bob')];
    await Promise.all([sessionOf(alice), sessionOf(bob)]);
    const [linkRoom, ringRoom] = [newRoomId(), newRoomId()];
    await db.insert(rooms).values([
      { id: linkRoom, ownerId: alice.id },
      { id: ringRoom, ownerId: alice.id, inviteeId: bob.id },
    ]);
    const call = (roomId: string) => ({ id: crypto.randomUUID(), roomId, callerId: alice.id, calleeId: bob.id });
    expect(await startLinkCall(db, call(linkRoom))).toBe(true);
    expect(await startLinkCall(db, call(ringRoom))).toBe(false);
    expect(await callsIn(linkRoom)).toHaveLength(1);
    expect(await callsIn(ringRoom)).toEqual([]);
  });
});
