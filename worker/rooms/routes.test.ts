/** The rooms API and the Worker's checks in front of the room's WebSocket, through the whole app. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { app } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import { roomVisits } from '../db/schema.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';
import { connectThroughWorker, RoomSocket } from '../test-support/room-socket.ts';
import { newRoomId } from './ids.ts';

let alice: SignedInUser;
let bob: SignedInUser;

beforeAll(async () => {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  [alice, bob] = await Promise.all([
    createSignedInUser(db, env.SESSION_SECRET),
    createSignedInUser(db, env.SESSION_SECRET),
  ]);
  await close();
});

const api = (path: string, init: RequestInit & { cookie?: string } = {}) =>
  exports.default.fetch(`http://localhost/api${path}`, {
    ...init,
    headers: { ...(init.cookie ? { cookie: init.cookie } : {}), ...(init.headers as Record<string, string>) },
  });

async function createRoom(user: SignedInUser): Promise<{ id: string; url: string }> {
  const response = await api('/rooms', { method: 'POST', cookie: user.cookie });
  expect(response.status).toBe(201);
  return response.json();
}

describe('rooms API', () => {
  it('creates rooms with short, unguessable, URL-safe ids and a shareable link', async () => {
    const first = await createRoom(alice);
    const second = await createRoom(alice);
    expect(first.id).toMatch(/^[A-Za-z0-9_-]{16}$/); // 16 base64url characters: 96 random bits
    expect(first.id).not.toBe(second.id);
    expect(first.url).toBe(`http://localhost/call/${first.id}`);
  });

  it('builds links on APP_URL when it is set', async () => {
    const ctx = createExecutionContext();
    const request = new Request('http://localhost/api/rooms', {
      method: 'POST',
      headers: { cookie: alice.cookie },
    });
    const response = await app.fetch(request, { ...env, APP_URL: 'https://call.example' }, ctx);
    await waitOnExecutionContext(ctx);
    const { id, url } = (await response.json()) as { id: string; url: string };
    expect(url).toBe(`https://call.example/call/${id}`);
  });

  it("describes a room with its owner's name", async () => {
    const { id, url } = await createRoom(alice);
    const response = await api(`/rooms/${id}`, { cookie: bob.cookie });
    expect(response.status).toBe(200);
    const room = (await response.json()) as { createdAt: string };
    expect(room).toEqual({ id, url, owner: { username: alice.username }, createdAt: expect.any(String), present: [] });
    expect(Date.now() - Date.parse(room.createdAt)).toBeLessThan(60_000);
  });

  it('tells who is in the call now, so the lobby can say it', async () => {
    const { id } = await createRoom(alice);
    const present = async () =>
      ((await (await api(`/rooms/${id}`, { cookie: bob.cookie })).json()) as { present: unknown }).present;
    const socket = await connectThroughWorker(id, alice.cookie);
    expect(await present()).toEqual([]); // connected but not joined: not in the call yet
    await socket.join({ mic: true, camera: false, screen: false });
    expect(await present()).toEqual([{ username: alice.username, media: { mic: true, camera: false, screen: false } }]);
    socket.send({ type: 'bye' });
    await socket.closed;
    expect(await present()).toEqual([]);
  });

  it('answers unknown and malformed room ids with a JSON 404', async () => {
    for (const id of [newRoomId(), 'nope', `${newRoomId()}x`, '%E2%80%AE']) {
      const response = await api(`/rooms/${id}`, { cookie: alice.cookie });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'room_not_found' } });
    }
  });

  it('lists the rooms a user created or joined, most recent first, and only theirs', async () => {
    const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
    const [carol, dave] = [
      await createSignedInUser(db, env.SESSION_SECRET),
      await createSignedInUser(db, env.SESSION_SECRET),
    ];
    await close();
    const mine = await createRoom(carol);
    const theirs = await createRoom(dave);
    const listed = async () =>
      (await (await api('/rooms', { cookie: carol.cookie })).json()) as { rooms: { id: string; owner: unknown }[] };

    // A socket that only opens (a lobby) is no visit; its join is.
    const socket = await connectThroughWorker(theirs.id, carol.cookie);
    socket.send('ping');
    await socket.nextRaw();
    expect((await listed()).rooms.map((room) => room.id)).toEqual([mine.id]);
    await socket.join();
    await expect.poll(async () => (await listed()).rooms.map((room) => room.id)).toEqual([theirs.id, mine.id]);
    socket.ws.close(1000);

    expect((await listed()).rooms[0]).toMatchObject({
      url: theirs.url,
      owner: { username: dave.username },
      visitedAt: expect.any(String),
    });
    const daves = (await (await api('/rooms', { cookie: dave.cookie })).json()) as { rooms: { id: string }[] };
    expect(daves.rooms.map((room) => room.id)).toEqual([theirs.id]);
  });

  it('requires a session everywhere', async () => {
    const { id } = await createRoom(alice);
    for (const [method, path] of [
      ['POST', '/rooms'],
      ['GET', '/rooms'],
      ['GET', `/rooms/${id}`],
      ['GET', `/rooms/${id}/ws`],
    ] as const) {
      const response = await api(path, { method, headers: { upgrade: 'websocket' } });
      expect(response.status, `${method} ${path}`).toBe(401);
      expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
    }
  });
});

describe('the signaling socket, before the upgrade', () => {
  it('upgrades a signed-in user in an existing room', async () => {
    const { id } = await createRoom(alice);
    const socket = await connectThroughWorker(id, bob.cookie);
    const welcome = await socket.join();
    expect(welcome.peer).toBeNull();
    socket.send({ type: 'bye' });
    expect((await socket.closed).code).toBe(1000);
  });

  it('checks the session (401), then the room (404), then the upgrade (426)', async () => {
    const { id } = await createRoom(alice);
    expect((await api(`/rooms/${newRoomId()}/ws`, { headers: { upgrade: 'websocket' } })).status).toBe(401);
    const unknown = await api(`/rooms/${newRoomId()}/ws`, { cookie: bob.cookie, headers: { upgrade: 'websocket' } });
    expect(unknown.status).toBe(404);
    const plain = await api(`/rooms/${id}/ws`, { cookie: bob.cookie });
    expect(plain.status).toBe(426);
    expect(plain.headers.get('upgrade')).toBe('websocket');
    expect(await plain.json()).toMatchObject({ error: { code: 'upgrade_required' } });
  });

  it('refuses an upgrade from another origin (cross-site WebSocket hijacking)', async () => {
    const { id } = await createRoom(alice);
    const response = await api(`/rooms/${id}/ws`, {
      cookie: bob.cookie,
      headers: { upgrade: 'websocket', origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect(response.webSocket).toBeNull();
  });

  it('records one visit per join, not per socket', async () => {
    const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
    const erin = await createSignedInUser(db, env.SESSION_SECRET);
    const { id } = await createRoom(alice);
    const visitedAt = async () => {
      const [row] = await db
        .select({ visitedAt: roomVisits.visitedAt })
        .from(roomVisits)
        .where(and(eq(roomVisits.userId, erin.id), eq(roomVisits.roomId, id)));
      return row?.visitedAt.getTime();
    };
    try {
      const lobbies = [await connectThroughWorker(id, erin.cookie), await connectThroughWorker(id, erin.cookie)];
      for (const lobby of lobbies) {
        lobby.send('ping');
        await lobby.nextRaw();
      }
      expect(await visitedAt()).toBeUndefined();
      await lobbies[0]?.join();
      await expect.poll(visitedAt).toEqual(expect.any(Number));
      const first = await visitedAt();
      await lobbies[1]?.join(); // takes over the seat: a second join, a second visit
      await expect.poll(visitedAt).toBeGreaterThan(first as number);
    } finally {
      await close();
    }
  });

  it('throttles upgrades per user: 30 a minute, then 429', async () => {
    const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
    const [busy, calm] = [
      await createSignedInUser(db, env.SESSION_SECRET),
      await createSignedInUser(db, env.SESSION_SECRET),
    ];
    await close();
    const { id } = await createRoom(alice);
    const upgrade = (user: SignedInUser) =>
      api(`/rooms/${id}/ws`, { cookie: user.cookie, headers: { upgrade: 'websocket' } });
    for (let i = 0; i < 30; i++) {
      const response = await upgrade(busy);
      expect(response.status).toBe(101);
      // Closed at once (the cap on open sockets is another test's business).
      new RoomSocket(response.webSocket as WebSocket).ws.close(1000);
    }
    const refused = await upgrade(busy);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    expect((await upgrade(calm)).status).toBe(101);
  });

  it('ignores identity claims sent by the browser', async () => {
    const { id } = await createRoom(alice);
    const forged = JSON.stringify({ roomId: id, user: { id: alice.id, username: alice.username } });
    const response = await api(`/rooms/${id}/ws`, {
      cookie: bob.cookie,
      headers: { upgrade: 'websocket', 'x-edgecall-handoff': forged },
    });
    const socket = new RoomSocket(response.webSocket as WebSocket);
    await socket.join();
    const other = await connectThroughWorker(id, alice.cookie);
    expect((await other.join()).peer).toMatchObject({ userId: bob.id, username: bob.username });
  });
});
