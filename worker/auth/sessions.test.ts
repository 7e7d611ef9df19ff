import { eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { sessions } from '../db/schema.ts';
import { newRoomId } from '../rooms/ids.ts';
import { liveSessionIds } from './session.ts';
import { call, openTestDatabase, post, sessionCookie, signUp, type TestUser } from './testing.ts';

const { db, close } = openTestDatabase();
afterAll(close);

interface ListedSession {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
}

const login = async (u: TestUser, userAgent = 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0', origin?: string) =>
  sessionCookie(
    await post(
      '/api/auth/login',
      { login: u.username, password: u.password },
      { headers: { 'user-agent': userAgent }, origin },
    ),
  );
const me = (cookie: string, origin?: string) => call('/api/auth/me', { cookie, origin });
const list = async (cookie: string) =>
  ((await (await call('/api/auth/sessions', { cookie })).json()) as { sessions: ListedSession[] }).sessions;
const signOut = (cookie: string, id: string) => call(`/api/auth/sessions/${id}`, { method: 'DELETE', cookie });
/** The session id a cookie names, as the list shows it. */
const idOf = async (cookie: string) => (await list(cookie)).find((s) => s.current)?.id ?? '';

/** Moves a session's last use into the past. */
const lastSeen = (id: string, ago: string) =>
  db
    .update(sessions)
    .set({ lastSeenAt: sql`now() - ${ago}::interval` })
    .where(eq(sessions.id, id));
const lastSeenAt = async (id: string) =>
  (await db.select({ at: sessions.lastSeenAt }).from(sessions).where(eq(sessions.id, id)))[0]?.at;

describe('GET /api/auth/sessions', () => {
  it('lists the live sessions of the user, the current one marked and first, then the most recently used', async () => {
    const user = await signUp();
    const phone = await login(user, 'Mozilla/5.0 (Android 15; Mobile) Chrome/150.0 Mobile');
    const laptop = await login(user);
    const gone = await login(user);
    expect((await call('/api/auth/logout', { method: 'POST', cookie: gone })).status).toBe(204);
    await signUp(); // someone else's sessions never show

    const listed = await list(laptop);
    expect(listed).toHaveLength(3);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    expect(listed[0]).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      current: true,
      createdAt: expect.any(String),
      lastSeenAt: expect.any(String),
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0',
    });
    expect(listed.map((s) => s.userAgent)).toContain('Mozilla/5.0 (Android 15; Mobile) Chrome/150.0 Mobile');
    const byPhone = await list(phone);
    expect(byPhone[0]?.current).toBe(true);
    expect(byPhone[0]?.id).not.toBe(listed[0]?.id);
    // After the current one: the laptop (used last), then the phone.
    expect(byPhone.map((s) => s.id)).toEqual([byPhone[0]?.id, listed[0]?.id, listed[2]?.id]);
  });

  it('keeps at most 512 characters of a user agent', async () => {
    const user = await signUp();
    const cookie = await login(user, `Agent/${'x'.repeat(2000)}`);
    expect((await list(cookie)).find((s) => s.current)?.userAgent).toHaveLength(512);
  });

  it('needs a session', async () => {
    expect((await call('/api/auth/sessions')).status).toBe(401);
  });
});

describe('DELETE /api/auth/sessions/:id', () => {
  it('signs that device out at once and leaves the others signed in', async () => {
    const user = await signUp();
    const other = await login(user);
    const response = await signOut(user.cookie, await idOf(other));
    expect(response.status).toBe(204);
    expect((await me(other)).status).toBe(401);
    expect((await me(user.cookie)).status).toBe(200);
    expect(await list(user.cookie)).toHaveLength(1);
  });

  it("answers 404 for someone else's session, an ended one, and ids that are no session", async () => {
    const [user, stranger] = [await signUp(), await signUp()];
    const ended = await login(user);
    const endedId = await idOf(ended);
    expect((await signOut(user.cookie, endedId)).status).toBe(204);
    for (const id of [await idOf(stranger.cookie), endedId, crypto.randomUUID(), 'not-a-uuid', "1' or '1'='1"]) {
      const response = await signOut(user.cookie, encodeURIComponent(id));
      expect(response.status, id).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'session_not_found' } });
    }
    expect((await me(stranger.cookie)).status).toBe(200);
  });

  it('answers 1,000 generated ids that are not a live session of the user with 404 and ends nothing', async () => {
    const user = await signUp();
    const other = await login(user);
    const ids = fc.oneof(
      fc.uuid(),
      fc.string({ minLength: 1, maxLength: 80 }),
      fc.string({ unit: 'grapheme', minLength: 1 }),
    );
    await fc.assert(
      fc.asyncProperty(ids, async (id) => {
        const response = await signOut(user.cookie, encodeURIComponent(id));
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: expect.any(String) } });
      }),
      { numRuns: 1_000 },
    );
    expect((await me(other)).status).toBe(200);
    expect(await list(user.cookie)).toHaveLength(2);
    // A hang bound, not a speed check: every request reads the session from Postgres, and a loaded CI machine is slow.
  }, 300_000);

  it('is refused from another origin', async () => {
    const user = await signUp();
    const other = await login(user);
    const response = await call(`/api/auth/sessions/${await idOf(other)}`, {
      method: 'DELETE',
      cookie: user.cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect((await me(other)).status).toBe(200);
  });
});

describe('DELETE /api/auth/sessions', () => {
  it('signs out every other device and keeps this one', async () => {
    const user = await signUp();
    const others = [await login(user), await login(user)];
    const response = await call('/api/auth/sessions', { method: 'DELETE', cookie: user.cookie });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ revoked: 2 });
    for (const cookie of others) expect((await me(cookie)).status).toBe(401);
    expect((await me(user.cookie)).status).toBe(200);
    expect((await list(user.cookie)).map((s) => s.current)).toEqual([true]);
  });
});

describe('session lifetime', () => {
  it('ends a session unused for 14 days, though its 30 days are not over', async () => {
    const user = await signUp();
    const id = await idOf(user.cookie);
    await lastSeen(id, '13 days 23 hours');
    expect((await me(user.cookie)).status).toBe(200);
    await lastSeen(id, '14 days 1 minute');
    expect((await me(user.cookie)).status).toBe(401);
    expect((await liveSessionIds(db, [id])).has(id)).toBe(false);
  });

  it('writes the last use at most every few minutes, not on every request', async () => {
    const user = await signUp();
    const id = await idOf(user.cookie);
    await lastSeen(id, '1 minute');
    const before = await lastSeenAt(id);
    await me(user.cookie);
    expect(await lastSeenAt(id)).toEqual(before);
    await lastSeen(id, '6 minutes');
    await me(user.cookie);
    expect(Date.now() - ((await lastSeenAt(id))?.getTime() ?? 0)).toBeLessThan(60_000);
  });

  it('liveSessionIds leaves out revoked, expired, idle, unknown and malformed ids', async () => {
    const user = await signUp();
    const [live, revoked, expired, idle] = await Promise.all([
      idOf(user.cookie),
      idOf(await login(user)),
      idOf(await login(user)),
      idOf(await login(user)),
    ]);
    await db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, revoked));
    await db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, expired));
    await lastSeen(idle, '15 days');
    expect((await liveSessionIds(db, [live])).has(live)).toBe(true);
    for (const id of [revoked, expired, idle, crypto.randomUUID(), 'nope'])
      expect((await liveSessionIds(db, [id])).has(id)).toBe(false);
  });
});

describe('the __Host- cookie', () => {
  const HTTPS = 'https://edgecall.example';

  it('is __Host-session, Secure, Path=/ without Domain on HTTPS, and is what HTTPS requests read', async () => {
    const user = await signUp();
    const response = await post(
      '/api/auth/login',
      { login: user.username, password: user.password },
      { origin: HTTPS },
    );
    const header = response.headers.getSetCookie()[0] ?? '';
    expect(header).toMatch(/^__Host-session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(header).toContain('Secure');
    expect(header).toContain('Path=/');
    expect(header).not.toMatch(/Domain=/i);
    const cookie = sessionCookie(response);
    expect((await me(cookie, HTTPS)).status).toBe(200);
    // A plain `session` cookie could have been planted by a subdomain: on HTTPS it means nothing.
    expect((await me(cookie.replace(/^__Host-session=/, 'session='), HTTPS)).status).toBe(401);
  });

  it('lets a WebSocket upgrade through the session check on HTTPS', async () => {
    const user = await signUp();
    const cookie = sessionCookie(
      await post('/api/auth/login', { login: user.username, password: user.password }, { origin: HTTPS }),
    );
    const room = (await (await call('/api/rooms', { method: 'POST', cookie, origin: HTTPS })).json()) as { id: string };
    const upgrade = (c: string) => call(`/api/rooms/${room.id}/ws`, { cookie: c, origin: HTTPS });
    // 426 (no Upgrade header) comes after the session and room checks: the cookie was accepted.
    expect((await upgrade(cookie)).status).toBe(426);
    expect((await upgrade(cookie.replace(/^__Host-session=/, 'session='))).status).toBe(401);
    expect((await call(`/api/rooms/${newRoomId()}/ws`, { cookie, origin: HTTPS })).status).toBe(404);
  });

  it('is cleared under the same name by logout on HTTPS', async () => {
    const user = await signUp();
    const cookie = sessionCookie(
      await post('/api/auth/login', { login: user.username, password: user.password }, { origin: HTTPS }),
    );
    const response = await call('/api/auth/logout', { method: 'POST', cookie, origin: HTTPS });
    expect(response.headers.getSetCookie()[0]).toMatch(/^__Host-session=; Max-Age=0; Path=\/.*Secure/);
    expect((await me(cookie, HTTPS)).status).toBe(401);
  });
});
