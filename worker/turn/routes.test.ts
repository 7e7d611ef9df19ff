/** GET /api/turn-credentials?room= through the whole app: only for someone with a socket in that room. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import fc from 'fast-check';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { app } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';
import { newRoomId } from '../rooms/ids.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';
import { connectThroughWorker, type RoomSocket } from '../test-support/room-socket.ts';

let user: SignedInUser;
let roomId: string;
let lobby: RoomSocket;

beforeAll(async () => {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  user = await createSignedInUser(db, env.SESSION_SECRET);
  await close();
  const created = await exports.default.fetch('http://localhost/api/rooms', {
    method: 'POST',
    headers: { cookie: user.cookie },
  });
  roomId = ((await created.json()) as { id: string }).id;
  lobby = await connectThroughWorker(roomId, user.cookie);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** `room`: null for no room parameter at all. */
const credentials = (cookie: string | undefined, room: string | null = roomId) =>
  exports.default.fetch(`http://localhost/api/turn-credentials${room === null ? '' : `?room=${room}`}`, {
    headers: cookie ? { cookie } : {},
  });

/** Through the app with other bindings (TURN configured), waiting for its background work. */
async function credentialsWith(bindings: Partial<Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const request = new Request(`http://localhost/api/turn-credentials?room=${roomId}`, {
    headers: { cookie: user.cookie },
  });
  const response = await app.fetch(request, { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

it('needs a session', async () => {
  const response = await credentials(undefined);
  expect(response.status).toBe(401);
});

describe('the room', () => {
  it.each([
    ['missing', null],
    ['empty', ''],
    ['not a room id', 'nope'],
  ])('answers 400 when it is %s', async (_case, room) => {
    const response = await credentials(user.cookie, room);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_input', field: 'room' } });
  });

  it('answers 403 without an open socket of this user in it', async () => {
    const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
    const stranger = await createSignedInUser(db, env.SESSION_SECRET);
    await close();
    for (const [cookie, room] of [
      [stranger.cookie, roomId],
      [user.cookie, newRoomId()],
    ] as const) {
      const response = await credentials(cookie, room);
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: 'not_in_room' } });
    }
  });

  it('answers 300 generated room values with a 4xx JSON error, never credentials', { timeout: 240_000 }, async () => {
    const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
    const outsider = await createSignedInUser(db, env.SESSION_SECRET);
    await close();
    const room = fc.oneof(
      fc.string(),
      fc.string({ unit: 'binary' }),
      fc.stringMatching(/^[A-Za-z0-9_-]{14,18}$/),
      fc.constantFrom(roomId, `${roomId}&room=x`, `x&room=${roomId}`, `${roomId}%00`, '%', '%E2%80%AE'),
    );
    await fc.assert(
      fc.asyncProperty(room, async (value) => {
        const raw = /^[\w%&=-]*$/.test(value) ? value : encodeURIComponent(value);
        const response = await credentials(outsider.cookie, raw);
        expect([400, 403, 429]).toContain(response.status);
        expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
      }),
      { numRuns: 300, seed: 20261203 },
    );
  });

  it('answers 403 again once the socket is closed', async () => {
    const created = await exports.default.fetch('http://localhost/api/rooms', {
      method: 'POST',
      headers: { cookie: user.cookie },
    });
    const { id } = (await created.json()) as { id: string };
    const socket = await connectThroughWorker(id, user.cookie);
    expect((await credentials(user.cookie, id)).status).toBe(200);
    socket.ws.close(1000);
    await socket.closed;
    await expect.poll(async () => (await credentials(user.cookie, id)).status).toBe(403);
  });
});

it('serves the configured servers (STUN only here) to a lobby socket, never to be cached', async () => {
  const response = await credentials(user.cookie);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({
    iceServers: [{ urls: ['stun:stun.cloudflare.com:3478'] }],
    expiresAt: expect.any(String),
    relay: false,
  });
});

it('names the room in the TURN username, and lasts 10 minutes by default', async () => {
  const before = Math.floor(Date.now() / 1000);
  const response = await credentialsWith({ TURN_URLS: 'turn:turn.example:3478', TURN_SECRET: 's3cret' });
  const after = Math.ceil(Date.now() / 1000);
  const { iceServers, expiresAt } = (await response.json()) as {
    iceServers: { username?: string }[];
    expiresAt: string;
  };
  const username = iceServers[1]?.username ?? '';
  const [expiry, userId, room] = username.split(':');
  expect(userId).toBe(user.id);
  expect(room).toBe(roomId);
  expect(Number(expiry)).toBe(Date.parse(expiresAt) / 1000);
  expect(Number(expiry)).toBeGreaterThanOrEqual(before + 600);
  expect(Number(expiry)).toBeLessThanOrEqual(after + 600);
  lobby.send('ping');
  expect(await lobby.nextRaw()).toBe('pong');
});

it("answers Cloudflare's failures with a JSON 502 that gives nothing away", async () => {
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('upstream trouble', { status: 500 }));
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const response = await credentialsWith({ TURN_KEY_ID: 'key-id', TURN_KEY_API_TOKEN: 'api-token' });
  expect(response.status).toBe(502);
  const body = await response.text();
  expect(JSON.parse(body)).toMatchObject({ error: { code: 'relay_unavailable' } });
  expect(body).not.toMatch(/api-token|key-id|upstream/);
});

it('throttles each user', async () => {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  const busy = await createSignedInUser(db, env.SESSION_SECRET);
  await close();
  await connectThroughWorker(roomId, busy.cookie);
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) statuses.push((await credentials(busy.cookie)).status);
  expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
  expect(statuses[30]).toBe(429);
  expect((await credentials(user.cookie)).status).toBe(200);
});
