import { count, eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { users } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import { call, openTestDatabase, post, sessionCookie, signUp, unique } from './testing.ts';
import { insertUser } from './users.ts';

const { db, close } = openTestDatabase();
afterAll(close);

const PASSWORD = 'correct horse battery';
const form = (username: string, email: string) => ({ username, email, password: PASSWORD, confirmPassword: PASSWORD });
const usersNamed = async (username: string) =>
  (
    await db
      .select({ n: count() })
      .from(users)
      .where(eq(sql`lower(${users.username})`, username.toLowerCase()))
  )[0]?.n;

describe('POST /api/auth/signup', () => {
  it('creates the account with normalised fields, answers 201 and signs the user in', async () => {
    const name = `New_${unique()}`;
    const response = await post('/api/auth/signup', form(`  ${name} `, ` ${name}@Example.COM `));
    expect(response.status).toBe(201);
    const body = await response.json();
    expect(body).toEqual({ id: expect.any(String), username: name.toLowerCase(), email: `${name}@example.com` });

    const me = await call('/api/auth/me', { cookie: sessionCookie(response) });
    expect(await me.json()).toEqual(body);
    const [row] = await db.select().from(users).where(eq(users.username, name.toLowerCase()));
    expect(row?.passwordHash).toMatch(/^scrypt\$ln=14,r=8,p=5\$/);
  });

  it('refuses a taken username (case-insensitively) with 409 on the username field', async () => {
    const user = await signUp();
    const response = await post('/api/auth/signup', form(user.username.toUpperCase(), `other_${unique()}@example.com`));
    expect(response.status).toBe(409);
    expect(await response.json()).toEqual({
      error: { code: 'username_taken', message: 'That username is taken', field: 'username' },
    });
  });

  it('refuses a taken email (case-insensitively) with 409 on the email field', async () => {
    const user = await signUp();
    const response = await post('/api/auth/signup', form(`u_${unique()}`, user.email.toUpperCase()));
    expect(response.status).toBe(409);
    expect(await response.json()).toMatchObject({ error: { code: 'email_taken', field: 'email' } });
  });

  it('lets exactly one of two racing signups for the same username win', async () => {
    const username = `race_${unique()}`;
    const responses = await Promise.all([
      post('/api/auth/signup', form(username, `a_${unique()}@example.com`)),
      post('/api/auth/signup', form(username, `b_${unique()}@example.com`)),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    const loser = responses.find((r) => r.status === 409);
    expect(await loser?.json()).toMatchObject({ error: { field: 'username' } });
    expect(await usersNamed(username)).toBe(1);
  });

  it('turns a unique violation at insert time into the same 409', async () => {
    const user = await signUp();
    const values = { username: `x_${unique()}`, email: user.email.toUpperCase(), passwordHash: 'x' };
    const error = await insertUser(db, values).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'email_taken', field: 'email' });
  });

  it.each([
    ['username', { username: 'ab' }, 'Username must be 3–32 characters: lowercase letters, digits or _'],
    ['email', { email: 'not-an-email' }, 'Enter a valid email address, like name@example.com'],
    ['password', { password: 'short', confirmPassword: 'short' }, 'Password must be at least 8 characters'],
    ['confirmPassword', { confirmPassword: 'something else' }, 'Passwords do not match'],
  ])('refuses an invalid %s with 400 naming the field', async (field, change, message) => {
    const username = `v_${unique()}`;
    const response = await post('/api/auth/signup', { ...form(username, `${username}@example.com`), ...change });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_input', message, field } });
    expect(await usersNamed(username)).toBe(0);
  });
});
