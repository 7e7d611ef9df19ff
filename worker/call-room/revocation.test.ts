/**
 * A session that ends (logout, reset, password change, a device signed out) reaches the room's open
 * sockets: it can no longer join, nor signal once the room has checked, and its sockets are closed
 * by the sweep that the room's alarm runs every SESSION_CHECK_INTERVAL_MS. The alarm is run by hand
 * (`runDurableObjectAlarm`): the tests check when it is due instead of waiting for it.
 */
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  CloseCode,
  JOIN_RECHECK_AFTER_MS,
  PROTOCOL_VERSION,
  SESSION_CHECK_INTERVAL_MS,
  type Signal,
} from '../../protocol/signaling.ts';
import { call } from '../auth/testing.ts';
import { openDatabase } from '../db/client.ts';
import { newRoomId } from '../rooms/ids.ts';
import { createSignedInUser } from '../test-support/accounts.ts';
import { openedEarlier, sessionsCheckedEarlier } from '../test-support/room-clock.ts';
import {
  connectDirectly,
  connectThroughWorker,
  NO_MEDIA,
  type RoomUser,
  revokeSessionOf,
} from '../test-support/room-socket.ts';

const person = (username: string): RoomUser => ({ id: crypto.randomUUID(), username });
const offer: Signal = { kind: 'description', description: { type: 'offer', sdp: 'v=0 offer' } };
const stubOf = (roomId: string) => env.ROOMS.get(env.ROOMS.idFromName(roomId));
const alarmAt = (roomId: string) => runInDurableObject(stubOf(roomId), (_room, state) => state.storage.getAlarm());

/** A real signed-in user (with a session cookie) and a room they made through the API. */
async function userWithRoom() {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  const user = await createSignedInUser(db, env.SESSION_SECRET);
  await close();
  const response = await call('/api/rooms', { method: 'POST', cookie: user.cookie });
  const { id: roomId } = (await response.json()) as { id: string };
  return { user, roomId };
}

async function pair(roomId = newRoomId()) {
  const [alice, bob] = [person('alice'), person('bob')];
  const a = await connectDirectly(roomId, alice);
  await a.join();
  const b = await connectDirectly(roomId, bob);
  const bWelcome = await b.join();
  await a.next('peer-joined');
  return { roomId, alice, bob, a, b, bPeerId: bWelcome.peerId };
}

describe('a session that ended', () => {
  it('cannot join on a lobby socket opened JOIN_RECHECK_AFTER_MS before, then logged out: 4005', async () => {
    const { user, roomId } = await userWithRoom();
    const lobby = await connectThroughWorker(roomId, user.cookie);
    expect((await call('/api/auth/logout', { method: 'POST', cookie: user.cookie })).status).toBe(204);
    // The Worker's check when the socket opened no longer counts: the join is checked again.
    await openedEarlier(roomId, user.id, JOIN_RECHECK_AFTER_MS);

    lobby.send({ type: 'join', version: PROTOCOL_VERSION, media: NO_MEDIA });
    expect(await lobby.closed).toMatchObject({ code: CloseCode.SessionEnded });
    expect(await stubOf(roomId).present()).toEqual([]);
  });

  it('cannot open a socket: the Worker checks the session before the room trusts it', async () => {
    const { user, roomId } = await userWithRoom();
    expect((await call('/api/auth/logout', { method: 'POST', cookie: user.cookie })).status).toBe(204);
    await expect(connectThroughWorker(roomId, user.cookie)).rejects.toThrow(/401/);
  });

  it('is closed by the next sweep when it joined right after opening, relying on that check', async () => {
    const roomId = newRoomId();
    const dave = person('dave');
    const lobby = await connectDirectly(roomId, dave);
    await revokeSessionOf(dave);
    expect((await lobby.join()).peer).toBeNull();
    expect(await runDurableObjectAlarm(stubOf(roomId))).toBe(true);
    expect((await lobby.closed).code).toBe(CloseCode.SessionEnded);
  });

  it('is closed with 4005 by the next sweep, and the other peer hears it is gone', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    await revokeSessionOf(bob);
    expect(await runDurableObjectAlarm(stubOf(roomId))).toBe(true);
    expect((await b.closed).code).toBe(CloseCode.SessionEnded);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
  });

  it('signals nothing once its last check is an interval old, even if the alarm is late', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    await revokeSessionOf(bob);
    await sessionsCheckedEarlier(roomId, SESSION_CHECK_INTERVAL_MS);
    b.send({ type: 'signal', signal: offer });
    expect((await b.closed).code).toBe(CloseCode.SessionEnded);
    // The peer hears that bob is gone, and never his offer.
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
    a.send('ping');
    expect(await a.nextRaw()).toBe('pong');
  });

  it('signals nothing once its last check is an interval old, after a wake-up too', async () => {
    const { roomId, bob, a, b, bPeerId } = await pair();
    await revokeSessionOf(bob);
    await sessionsCheckedEarlier(roomId, SESSION_CHECK_INTERVAL_MS);
    // The room keeps that time in memory; woken from hibernation, it reads it back from storage.
    await evictDurableObject(stubOf(roomId));
    b.send({ type: 'signal', signal: offer });
    expect((await b.closed).code).toBe(CloseCode.SessionEnded);
    expect(await a.next('peer-left')).toEqual({ type: 'peer-left', peerId: bPeerId, reason: 'gone' });
  });
});

/** Resolves once some query waits for a lock: here, the sweep's, behind the test's. */
async function queryWaitingForLock(): Promise<void> {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  try {
    for (;;) {
      const { rows } = await db.execute(
        sql`select 1 from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()`,
      );
      if (rows.length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    await close();
  }
}

describe('the sweep', () => {
  it('is due within SESSION_CHECK_INTERVAL_MS of the first socket, and again after each run while sockets are open', async () => {
    const before = Date.now();
    const { roomId, a, b } = await pair();
    const first = await alarmAt(roomId);
    expect(first).toBeGreaterThanOrEqual(before);
    expect(first).toBeLessThanOrEqual(Date.now() + SESSION_CHECK_INTERVAL_MS);

    const ran = Date.now();
    expect(await runDurableObjectAlarm(stubOf(roomId))).toBe(true);
    const next = await alarmAt(roomId);
    expect(next).toBeGreaterThanOrEqual(ran);
    expect(next).toBeLessThanOrEqual(Date.now() + SESSION_CHECK_INTERVAL_MS);
    // Live sessions keep their seats and go on talking.
    a.send({ type: 'signal', signal: offer });
    expect(await b.next('signal')).toMatchObject({ signal: offer });

    // Once every socket is gone, the room stops waking up.
    a.send({ type: 'bye' });
    b.send({ type: 'bye' });
    await Promise.all([a.closed, b.closed]);
    await runDurableObjectAlarm(stubOf(roomId));
    expect(await alarmAt(roomId)).toBeNull();
  });

  it('lets the room relay while it waits for the database, and closes ended sessions once it answers', async () => {
    const { roomId, bob, a, b } = await pair();
    await revokeSessionOf(bob);
    // The sessions table is locked, so the sweep's query waits until the lock goes.
    const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
    let unlock: () => void = () => {};
    let locked: () => void = () => {};
    const lockTaken = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const lock = db.transaction(async (tx) => {
      await tx.execute(sql`lock table sessions in access exclusive mode`);
      locked();
      await new Promise<void>((resolve) => {
        unlock = resolve;
      });
    });
    await lockTaken;
    try {
      const sweep = runDurableObjectAlarm(stubOf(roomId));
      await queryWaitingForLock();
      a.send({ type: 'signal', signal: offer });
      expect(await b.next('signal', 10_000)).toMatchObject({ signal: offer });
      unlock();
      await lock;
      await sweep;
      expect((await b.closed).code).toBe(CloseCode.SessionEnded);
    } finally {
      unlock();
      await lock.catch(() => {});
      await close();
    }
  });

  it('lets a user whose other session ended keep the socket of a live one', async () => {
    const roomId = newRoomId();
    const carol = person('carol');
    const old = await connectDirectly(roomId, carol);
    await revokeSessionOf(carol);
    const fresh = await connectDirectly(roomId, carol);
    await runDurableObjectAlarm(stubOf(roomId));
    expect((await old.closed).code).toBe(CloseCode.SessionEnded);
    expect((await fresh.join()).peer).toBeNull();
  });
});
