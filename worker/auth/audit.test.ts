import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { hit } from '../http/rate-limit.ts';
import { call, mailTo, openTestDatabase, post, sessionCookie, signUp, type TestUser, unique } from './testing.ts';
import { accountSubject, PASSWORD_CHECKS_PER_ACCOUNT } from './throttle.ts';

let logged: MockInstance<typeof console.log>;
beforeEach(() => {
  logged = vi.spyOn(console, 'log');
});
afterEach(() => logged.mockRestore());

type Line = Record<string, unknown>;
/** The audit lines written since the test began. */
const auditLines = (): Line[] =>
  logged.mock.calls
    .map(([text]) => {
      try {
        return JSON.parse(String(text)) as Line;
      } catch {
        return undefined;
      }
    })
    .filter((line): line is Line => line?.audit === true);
const rawAuditText = () => JSON.stringify(auditLines());

const IP = '2001:db8::7';
const login = (u: TestUser, password: string) => post('/api/auth/login', { login: u.username, password }, { ip: IP });

/** Nothing secret or personal in any audit line: no password, hash, token, email or login name. */
function expectNothingSecret(user: TestUser, ...more: string[]): void {
  const text = rawAuditText();
  for (const secret of [user.password, user.email, user.username, 'scrypt$', ...more])
    expect(text).not.toContain(secret);
}

describe('the audit log', () => {
  it('records failed and successful logins with the user id and IP', async () => {
    const user = await signUp();
    expect((await login(user, 'wrong password')).status).toBe(401);
    const cookie = sessionCookie(await login(user, user.password));
    expect((await post('/api/auth/login', { login: `ghost_${unique()}`, password: 'x' }, { ip: IP })).status).toBe(401);

    const lines = auditLines();
    expect(lines).toContainEqual({
      audit: true,
      at: expect.any(String),
      event: 'login_failed',
      userId: user.id,
      ip: IP,
    });
    expect(lines).toContainEqual({ audit: true, at: expect.any(String), event: 'login_failed', ip: IP });
    expect(lines).toContainEqual(
      expect.objectContaining({ event: 'login_succeeded', userId: user.id, sessionId: expect.any(String), ip: IP }),
    );
    expectNothingSecret(user, 'wrong password', 'ghost_', cookie.split('=')[1] ?? '');
  });

  it('records the lockout once, at the first refusal', async () => {
    const user = await signUp();
    const { db, close } = openTestDatabase();
    for (let i = 0; i < 10; i++) await hit(db, PASSWORD_CHECKS_PER_ACCOUNT, accountSubject(user.id));
    await close();
    expect((await login(user, user.password)).status).toBe(429);
    expect((await login(user, user.password)).status).toBe(429);
    const lockouts = auditLines().filter((line) => line.event === 'lockout');
    expect(lockouts).toEqual([
      { audit: true, at: expect.any(String), event: 'lockout', rule: 'password-checks', userId: user.id, ip: IP },
    ]);
  });

  it('records a reset asked for and used, a password change and sessions revoked', async () => {
    const user = await signUp();
    expect((await post('/api/auth/forgot-password', { email: user.email })).status).toBe(202);
    const [mail] = await mailTo(user.email);
    const token = mail?.text.match(/token=([\w-]{43})/)?.[1] ?? '';
    const password = 'the password after reset';
    expect((await post('/api/auth/reset-password', { token, password, confirmPassword: password })).status).toBe(200);
    const cookie = sessionCookie(await post('/api/auth/login', { login: user.email, password }));
    const other = sessionCookie(await post('/api/auth/login', { login: user.email, password }));
    const changed = 'the password after change';
    const change = { currentPassword: password, password: changed, confirmPassword: changed };
    expect((await post('/api/auth/change-password', change, { cookie })).status).toBe(200);
    const third = sessionCookie(await post('/api/auth/login', { login: user.email, password: changed }));
    const fourth = sessionCookie(await post('/api/auth/login', { login: user.email, password: changed }));
    const sessions = (await (await call('/api/auth/sessions', { cookie })).json()) as {
      sessions: { id: string; current: boolean }[];
    };
    const thirdId = sessions.sessions.find((s) => !s.current)?.id ?? '';
    expect((await call(`/api/auth/sessions/${thirdId}`, { method: 'DELETE', cookie })).status).toBe(204);
    expect((await call('/api/auth/sessions', { method: 'DELETE', cookie })).status).toBe(200);
    expect((await call('/api/auth/logout', { method: 'POST', cookie })).status).toBe(204);

    const events = auditLines().filter((line) => line.userId === user.id);
    const at = expect.any(String);
    const ip = expect.any(String);
    expect(events).toContainEqual({ audit: true, at, event: 'reset_requested', userId: user.id, ip });
    expect(events).toContainEqual({ audit: true, at, event: 'reset_used', userId: user.id, sessionsRevoked: 1, ip });
    expect(events).toContainEqual(
      expect.objectContaining({
        event: 'password_changed',
        userId: user.id,
        sessionId: expect.any(String),
        sessionsRevoked: 1,
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'session_revoked', sessionId: thirdId, reason: 'signed_out_by_user' }),
    );
    expect(events).toContainEqual(expect.objectContaining({ event: 'sessions_revoked', count: 1 }));
    expect(events).toContainEqual(expect.objectContaining({ event: 'session_revoked', reason: 'logout' }));
    expectNothingSecret(
      user,
      password,
      changed,
      token,
      ...[cookie, other, third, fourth].map((c) => c.split('=')[1] ?? ''),
    );
  });
});
