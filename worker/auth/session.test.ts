import { beforeAll, describe, expect, it } from 'vitest';
import { call, post, sessionCookie, signUp, type TestUser } from './testing.ts';

let user: TestUser;
beforeAll(async () => {
  user = await signUp();
});

const login = async (u: TestUser) =>
  sessionCookie(await post('/api/auth/login', { login: u.username, password: u.password }));
const me = (cookie?: string) => call('/api/auth/me', { cookie });

describe('GET /api/auth/me', () => {
  it('returns exactly id, username and email for a signed-in user', async () => {
    const response = await me(user.cookie);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: user.id, username: user.username, email: user.email });
  });

  it.each([
    ['no cookie', undefined],
    ['a garbage cookie', 'session=not-a-jwt'],
    ['a cookie signed with another secret', null],
  ])('answers 401 with %s', async (_, cookie) => {
    const response = await call('/api/auth/me', {
      cookie: cookie === null ? user.cookie : cookie,
      env: cookie === null ? { SESSION_SECRET: 'another secret, at least 32 bytes long!!' } : {},
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: { code: 'unauthenticated', message: 'Please log in.' } });
  });
});

describe('session cookie', () => {
  it('is HttpOnly, SameSite=Lax, Path=/ and not Secure on http://localhost', async () => {
    const response = await post('/api/auth/login', { login: user.username, password: user.password });
    const cookie = response.headers.getSetCookie()[0] ?? '';
    expect(cookie).toMatch(/^session=[\w-]+\.[\w-]+\.[\w-]+;/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Lax');
    expect(cookie).toContain('Path=/');
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toContain('Secure');
  });

  it('is Secure everywhere else', async () => {
    const response = await post(
      '/api/auth/login',
      { login: user.username, password: user.password },
      { origin: 'https://edgecall.example' },
    );
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()[0]).toContain('Secure');
  });
});

describe('POST /api/auth/logout', () => {
  it('revokes that session only and clears the cookie', async () => {
    const [first, second] = [await login(user), await login(user)];
    const response = await call('/api/auth/logout', { method: 'POST', cookie: first });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie()[0]).toMatch(/^session=; Max-Age=0; Path=\//);
    expect((await me(first)).status).toBe(401);
    expect((await me(second)).status).toBe(200);
  });

  it('answers 204 without a session too', async () => {
    expect((await call('/api/auth/logout', { method: 'POST' })).status).toBe(204);
  });

  it('is refused from another origin', async () => {
    const cookie = await login(user);
    const response = await call('/api/auth/logout', {
      method: 'POST',
      cookie,
      headers: { origin: 'https://evil.example' },
    });
    expect(response.status).toBe(403);
    expect((await me(cookie)).status).toBe(200);
  });
});
