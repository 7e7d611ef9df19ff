import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { passwordResets, users } from '../db/schema.ts';
import { call, mailTo, openTestDatabase, post, signUp, type TestUser, unique } from './testing.ts';

const { db, close } = openTestDatabase();
afterAll(close);

const ACCEPTED = {
  message: 'If an account uses this email, a link to reset its password is on its way. It works for 30 minutes.',
};
const LINK = /(\S+)\/reset-password\?token=([\w-]{43})\b/;

const forgot = (email: string, options = {}) => post('/api/auth/forgot-password', { email }, options);
const reset = (token: string, password: string) =>
  post('/api/auth/reset-password', { token, password, confirmPassword: password });
const login = (u: TestUser, password: string) => post('/api/auth/login', { login: u.username, password });

/** Asks for a reset link and returns the token from the mail. */
async function resetToken(user: TestUser): Promise<string> {
  expect((await forgot(user.email)).status).toBe(202);
  const [mail] = await mailTo(user.email);
  const token = mail?.text.match(LINK)?.[2];
  if (!token) throw new Error('no reset link in the mail');
  return token;
}

describe('POST /api/auth/forgot-password', () => {
  it('mails a single reset link (text and HTML) to an existing account and stores only its hash', async () => {
    const user = await signUp();
    const response = await forgot(` ${user.email.replace('example.com', 'EXAMPLE.com')} `);
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual(ACCEPTED);

    const mails = await mailTo(user.email);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.subject).toBe('Reset your EdgeCall password');
    const [, origin, token] = mail?.text.match(LINK) ?? [];
    // APP_URL is empty in tests: links point at the request's origin.
    expect(origin).toBe('http://localhost');
    expect(mail?.html).toContain(`<a href="http://localhost/reset-password?token=${token}">`);
    expect(mail?.text).toContain(`Hi ${user.username},`);

    const rows = await db.select().from(passwordResets).where(eq(passwordResets.userId, user.id));
    expect(rows).toHaveLength(1);
    const sha256 = Buffer.from(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token))).toString('hex');
    expect(rows[0]?.tokenHash).toBe(sha256);
    const minutesLeft = ((rows[0]?.expiresAt.getTime() ?? 0) - Date.now()) / 60_000;
    expect(minutesLeft).toBeGreaterThan(29);
    expect(minutesLeft).toBeLessThanOrEqual(30);
  });

  it('answers an unknown address with the very same 202 and sends nothing', async () => {
    const email = `nobody_${unique()}@example.com`;
    const response = await forgot(email);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe(JSON.stringify(ACCEPTED));
    expect(await mailTo(email)).toEqual([]);
  });

  it('puts APP_URL in the link when it is set', async () => {
    const user = await signUp();
    expect((await forgot(user.email, { env: { APP_URL: 'https://calls.example/' } })).status).toBe(202);
    const [mail] = await mailTo(user.email);
    expect(mail?.text.match(LINK)?.[1]).toBe('https://calls.example');
  });
});

describe('POST /api/auth/reset-password', () => {
  it('sets the new password, consumes the token and revokes every session', async () => {
    const user = await signUp();
    const otherSession = (await login(user, user.password)).headers.getSetCookie()[0]?.split(';')[0];
    const token = await resetToken(user);

    const response = await reset(token, 'brand new password');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ message: 'Your password has been reset. Log in with your new password.' });

    for (const cookie of [user.cookie, otherSession]) {
      expect((await call('/api/auth/me', { cookie })).status).toBe(401);
    }
    expect((await login(user, user.password)).status).toBe(401);
    expect((await login(user, 'brand new password')).status).toBe(200);

    const again = await reset(token, 'yet another password');
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({
      error: {
        code: 'reset_token_used',
        message: 'This reset link has already been used. Ask for a new one if you still need it.',
        field: 'token',
      },
    });
  });

  it('mails the account that its password was reset, with no link in it', async () => {
    const user = await signUp();
    const token = await resetToken(user);
    expect((await reset(token, 'brand new password')).status).toBe(200);
    const [notice, resetMail, ...older] = await mailTo(user.email);
    expect(older).toEqual([]);
    expect(resetMail?.subject).toBe('Reset your EdgeCall password');
    expect(notice?.subject).toBe('Your password was changed');
    expect(notice?.text).toContain('was reset with a link sent to this address on ');
    expect(notice?.text).toContain('Every device was signed out.');
    expect(notice?.text).not.toContain(token);
    expect(notice?.text).not.toMatch(/https?:/);
    expect(notice?.html).not.toMatch(/<a\b|https?:/);
  });

  it('kills the other open links of the account once one is used', async () => {
    const user = await signUp();
    const first = await resetToken(user);
    const second = await resetToken(user);
    expect((await reset(second, 'brand new password')).status).toBe(200);
    expect(await (await reset(first, 'another new password')).json()).toMatchObject({
      error: { code: 'reset_token_used' },
    });
  });

  it('refuses an expired token with 400 and leaves the password alone', async () => {
    const user = await signUp();
    const token = await resetToken(user);
    await db
      .update(passwordResets)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(passwordResets.userId, user.id));
    const [before] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));

    const response = await reset(token, 'brand new password');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'reset_token_expired',
        message: 'This reset link has expired (links work for 30 minutes). Ask for a new one.',
        field: 'token',
      },
    });
    const [after] = await db.select({ hash: users.passwordHash }).from(users).where(eq(users.id, user.id));
    expect(after?.hash).toBe(before?.hash);
    expect((await call('/api/auth/me', { cookie: user.cookie })).status).toBe(200);
  });

  it('refuses an unknown token with 400', async () => {
    const response = await reset('A'.repeat(43), 'brand new password');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'reset_token_unknown',
        message: 'This reset link is not valid. Ask for a new one.',
        field: 'token',
      },
    });
  });

  it('refuses a malformed token and a confirmation mismatch before touching the token', async () => {
    const user = await signUp();
    const token = await resetToken(user);
    const malformed = await reset(`${token}!`, 'brand new password');
    expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_input', field: 'token' } });
    const mismatch = await post('/api/auth/reset-password', {
      token,
      password: 'brand new password',
      confirmPassword: 'brand new passwort',
    });
    expect(await mismatch.json()).toMatchObject({ error: { code: 'invalid_input', field: 'confirmPassword' } });
    expect((await reset(token, 'brand new password')).status).toBe(200);
  });
});
