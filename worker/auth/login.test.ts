import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema.ts';
import { call, openTestDatabase, post, sessionCookie, signUp, type TestUser, unique } from './testing.ts';

const { db, close } = openTestDatabase();
afterAll(close);

let user: TestUser;
beforeAll(async () => {
  user = await signUp();
});

const INVALID = { error: { code: 'invalid_credentials', message: 'Incorrect username, email or password' } };

describe('POST /api/auth/login', () => {
  it.each([
    ['username', (u: TestUser) => u.username],
    ['username in other case', (u: TestUser) => ` ${u.username.toUpperCase()} `],
    ['email', (u: TestUser) => u.email],
    ['email in other case', (u: TestUser) => u.email.toUpperCase()],
  ])('signs in by %s with 200, the account and a new session cookie', async (_, login) => {
    const response = await post('/api/auth/login', { login: login(user), password: user.password });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: user.id, username: user.username, email: user.email });
    const cookie = sessionCookie(response);
    expect(cookie).not.toBe(user.cookie);
    expect((await call('/api/auth/me', { cookie })).status).toBe(200);
  });

  it('answers a wrong password and an unknown user with the same 401, after the same scrypt work', async () => {
    const timed = async (login: string) => {
      const start = performance.now();
      const response = await post('/api/auth/login', { login, password: 'not the password' });
      return { status: response.status, text: await response.text(), ms: performance.now() - start };
    };
    const wrong = await timed(user.username);
    const unknown = await timed(`nobody_${unique()}`);
    // Identical byte for byte, not merely equal objects.
    expect(wrong).toMatchObject({ status: 401, text: JSON.stringify(INVALID) });
    expect(unknown).toMatchObject({ status: 401, text: wrong.text });
    // Without the dummy hash an unknown user would answer in a few ms instead of ~125.
    expect(unknown.ms).toBeGreaterThan(wrong.ms * 0.5);
  });

  it('upgrades a hash made with older parameters on a successful login', async () => {
    const old = await signUp('old password');
    // N=2^10 r=8 p=1 for "old password" with salt "salt-salt-salt!!" (Node's crypto.scryptSync).
    const oldHash = 'scrypt$ln=10,r=8,p=1$c2FsdC1zYWx0LXNhbHQhIQ==$FbJlBbTgjkZbIU124rQchiwvQIkUojbVOG6rE2Rzq+E=';
    await db.update(users).set({ passwordHash: oldHash }).where(eq(users.id, old.id));

    const response = await post('/api/auth/login', { login: old.username, password: 'old password' });
    expect(response.status).toBe(200);
    const [row] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, old.id));
    expect(row?.hash).toMatch(/^scrypt\$ln=14,r=8,p=5\$/);
    expect((await post('/api/auth/login', { login: old.username, password: 'old password' })).status).toBe(200);
  });

  it('refuses a login from another origin (CSRF) before looking at the body', async () => {
    const response = await post(
      '/api/auth/login',
      { login: user.username, password: user.password },
      { headers: { origin: 'https://evil.example' } },
    );
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie()).toEqual([]);
  });
});
