import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema.ts';
import { call, mailTo, openTestDatabase, post, sessionCookie, signUp, type TestUser } from './testing.ts';

const { db, close } = openTestDatabase();
afterAll(close);

const change = (cookie: string | undefined, currentPassword: string, password: string, confirmPassword = password) =>
  post('/api/auth/change-password', { currentPassword, password, confirmPassword }, { cookie });
const me = (cookie: string | undefined) => call('/api/auth/me', { cookie });
const storedHash = async (u: TestUser) =>
  (await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, u.id)))[0]?.hash;

describe('POST /api/auth/change-password', () => {
  it('changes the password, keeps this session and revokes the others', async () => {
    const user = await signUp();
    const other = sessionCookie(await post('/api/auth/login', { login: user.username, password: user.password }));

    const response = await change(user.cookie, user.password, 'a whole new password');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      message: 'Your password has been changed. Other devices have been logged out.',
    });
    expect((await me(user.cookie)).status).toBe(200);
    expect((await me(other)).status).toBe(401);
    expect((await post('/api/auth/login', { login: user.email, password: 'a whole new password' })).status).toBe(200);
    expect((await post('/api/auth/login', { login: user.email, password: user.password })).status).toBe(401);
  });

  it('mails the account that its password was changed, when, and what to do if it was not them', async () => {
    const user = await signUp();
    const before = Date.now();
    expect((await change(user.cookie, user.password, 'a whole new password')).status).toBe(200);
    const mails = await mailTo(user.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe('Your password was changed');
    expect(mail?.text).toContain(`Hi ${user.username},`);
    expect(mail?.text).toContain('changed from a signed-in device on ');
    expect(mail?.text).toContain(new Date(before).toUTCString().slice(0, 16));
    expect(mail?.text).toContain('Every other device was signed out.');
    expect(mail?.text).toContain('If it was not you');
    expect(mail?.text).toContain('Forgot your password?');
    // Nothing in it acts on the account: no link at all.
    expect(mail?.text).not.toMatch(/https?:/);
    expect(mail?.html).not.toMatch(/<a\b|https?:/);
  });

  it('mails nothing when the current password is wrong', async () => {
    const user = await signUp();
    expect((await change(user.cookie, 'not my password', 'a whole new password')).status).toBe(400);
    expect(await mailTo(user.email)).toEqual([]);
  });

  it('refuses a wrong current password with 400 on currentPassword and changes nothing', async () => {
    const user = await signUp();
    const before = await storedHash(user);
    const response = await change(user.cookie, 'not my password', 'a whole new password');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: { code: 'wrong_password', message: 'Your current password is incorrect', field: 'currentPassword' },
    });
    expect(await storedHash(user)).toBe(before);
  });

  it('refuses a confirmation mismatch with 400 on confirmPassword', async () => {
    const user = await signUp();
    const response = await change(user.cookie, user.password, 'a whole new password', 'a whole new passwort');
    expect(await response.json()).toMatchObject({ error: { code: 'invalid_input', field: 'confirmPassword' } });
  });

  it('needs a signed-in user', async () => {
    const response = await change(undefined, 'whatever it is', 'a whole new password');
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
  });
});
