/**
 * Property-based bad input: for every accounts endpoint, 1,000 generated bad requests each get a
 * 4xx JSON error (never a 5xx) and store nothing. The valid form each endpoint's generator starts
 * from is "live" (a real account, a real reset token, a real session), so a bad request that was
 * wrongly accepted would leave a trace that the checks after the run look for.
 */

import { env } from 'cloudflare:workers';
import { count, eq, isNull, like, or, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { SignJWT } from 'jose';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ChangePasswordSchema,
  ForgotPasswordSchema,
  LoginSchema,
  PASSWORD_MAX,
  ResetPasswordSchema,
  SignupSchema,
} from '../../protocol/accounts.ts';
import { devMail, passwordResets, rateLimits, sessions, users } from '../db/schema.ts';
import { badRequests, formOf, oddString, type RawRequest } from './bad-requests.ts';
import { issueResetToken } from './reset.ts';
import { call, openTestDatabase, signUp, type TestUser, unique } from './testing.ts';
import { findByEmail, findByLogin } from './users.ts';

const { db, close } = openTestDatabase();
afterAll(close);

const RUNS = 1000;
/** Each run that reaches the database costs a few ms; the defaults' 5 s is too short for 1,000. */
const LONG = 60_000;
const PRINTABLE_ASCII = fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c));
const IP = `fuzz-${unique()}`;
const NEW_PASSWORD = 'a new password';
let user: TestUser;
let token: string;
let fresh: string;

beforeAll(async () => {
  user = await signUp();
  token = await issueResetToken(db, user.id);
  fresh = `f_${unique()}`;
});

/** Sends a raw request and checks the answer is a client error in the API's error shape. */
async function expectRefused(path: string, request: RawRequest, cookie?: string): Promise<void> {
  const headers: Record<string, string> = request.contentType === null ? {} : { 'content-type': request.contentType };
  const body = typeof request.body === 'function' ? request.body() : request.body;
  const response = await call(path, { method: 'POST', body, headers, cookie, ip: IP });
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.status).toBeLessThan(500);
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  expect(response.headers.getSetCookie()).toEqual([]);
  const { error, ...rest } = (await response.json()) as { error: Record<string, unknown> };
  expect(rest).toEqual({});
  const { code, message, field, ...others } = error;
  expect(others).toEqual({});
  expect(code).toEqual(expect.any(String));
  expect(message).toEqual(expect.any(String));
  if (field !== undefined) expect(field).toEqual(expect.any(String));
}

const passwords = { password: PASSWORD_MAX, confirmPassword: PASSWORD_MAX };
const endpoints = () =>
  [
    {
      path: '/api/auth/signup',
      schema: SignupSchema,
      valid: { username: fresh, email: `${fresh}@example.com`, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      maxLength: { username: 32, email: 254, ...passwords },
    },
    {
      path: '/api/auth/login',
      schema: LoginSchema,
      valid: { login: user.username, password: user.password },
      maxLength: { login: 254, password: PASSWORD_MAX },
    },
    {
      path: '/api/auth/forgot-password',
      schema: ForgotPasswordSchema,
      valid: { email: user.email },
      maxLength: { email: 254 },
    },
    {
      path: '/api/auth/reset-password',
      schema: ResetPasswordSchema,
      valid: { token, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      maxLength: { token: 43, ...passwords },
    },
    {
      path: '/api/auth/change-password',
      schema: ChangePasswordSchema,
      valid: { currentPassword: user.password, password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
      maxLength: { currentPassword: PASSWORD_MAX, ...passwords },
      cookie: true,
    },
  ] as const;

describe.each(['signup', 'login', 'forgot-password', 'reset-password', 'change-password'])(
  'POST /api/auth/%s',
  (name) => {
    it(
      `refuses ${RUNS} generated bad requests with a 4xx JSON error`,
      async () => {
        const endpoint = endpoints().find((e) => e.path.endsWith(`/${name}`));
        if (!endpoint) throw new Error(name);
        const property = fc.asyncProperty(badRequests(endpoint.valid, endpoint.maxLength), async (request) => {
          // An odd-Unicode value can happen to be valid (e.g. "KIM" with a Kelvin sign): skip those.
          fc.pre(!request.maybeValid || !v.safeParse(endpoint.schema, formOf(request)).success);
          await expectRefused(endpoint.path, request, 'cookie' in endpoint ? user.cookie : undefined);
        });
        await fc.assert(property, { numRuns: RUNS });
      },
      LONG,
    );
  },
);

describe('POST /api/auth/logout and GET /api/auth/me', () => {
  const secret = new TextEncoder().encode(env.SESSION_SECRET);
  /** Cookies that are not ours: junk, bad percent-encoding, and JWTs signed right with odd claims. */
  const cookies = fc.oneof(
    fc.string({ unit: PRINTABLE_ASCII, maxLength: 100 }),
    fc.string({ unit: fc.constantFrom('%', 'E', '0', 'A', '=', ';', ' ', 'session'), maxLength: 30 }),
    fc
      .record({ sid: fc.jsonValue(), sub: fc.jsonValue(), iss: fc.constantFrom('edgecall', 'other') })
      .map(async (claims) => {
        const jwt = await new SignJWT(claims as Record<string, unknown>)
          .setProtectedHeader({ alg: 'HS256' })
          .sign(secret);
        return `session=${jwt}`;
      }),
  );

  it(
    `answers ${RUNS} foreign cookies on /me with 401`,
    async () => {
      await fc.assert(
        fc.asyncProperty(cookies, async (cookie) => {
          const response = await call('/api/auth/me', { cookie: await cookie, ip: IP });
          expect(response.status).toBe(401);
          expect(await response.json()).toMatchObject({ error: { code: 'unauthenticated' } });
        }),
        { numRuns: RUNS },
      );
    },
    LONG,
  );

  it(
    `answers ${RUNS} logouts with foreign cookies and junk bodies with 204`,
    async () => {
      await fc.assert(
        fc.asyncProperty(cookies, oddString, async (cookie, body) => {
          const response = await call('/api/auth/logout', { method: 'POST', cookie: await cookie, body, ip: IP });
          expect(response.status).toBe(204);
        }),
        { numRuns: RUNS },
      );
    },
    LONG,
  );
});

describe('odd but valid input reaching the database', () => {
  const validLogin = oddString
    .map((s) => s.trim())
    .filter((s) => v.safeParse(LoginSchema, { login: s, password: 'x' }).success);
  const validEmail = fc
    .tuple(oddString, fc.constantFrom('example.com', 'exämple.org', 'пример.рф', 'EXAMPLE.NET'))
    .map(([local, domain]) => `${local}@${domain}`)
    .filter((s) => v.safeParse(ForgotPasswordSchema, { email: s }).success);

  it(
    'account lookups take any login or address the schemas let through',
    async () => {
      await fc.assert(
        fc.asyncProperty(validLogin, validEmail, async (login, email) => {
          expect(await findByLogin(db, login)).toBeUndefined();
          expect(await findByEmail(db, email)).toBeUndefined();
        }),
        { numRuns: 300 },
      );
    },
    LONG,
  );

  it(
    'login answers 401 to odd Unicode logins (each costs a scrypt, so only a few)',
    async () => {
      await fc.assert(
        fc.asyncProperty(validLogin, async (login) => {
          expect((await call('/api/auth/login', { json: { login, password: 'whatever it is' } })).status).toBe(401);
        }),
        { numRuns: 5 },
      );
    },
    LONG,
  );

  it(
    'forgot-password answers 202 to odd but valid addresses',
    async () => {
      await fc.assert(
        fc.asyncProperty(validEmail, async (email) => {
          expect((await call('/api/auth/forgot-password', { json: { email } })).status).toBe(202);
        }),
        { numRuns: 30 },
      );
    },
    LONG,
  );
});

describe('after all that', () => {
  it('stored nothing: no account, session, token use, mail or throttle count', async () => {
    const [account] = await db.select().from(users).where(eq(users.id, user.id));
    expect(account?.passwordHash).toMatch(/^scrypt\$/);
    expect((await call('/api/auth/login', { json: { login: user.username, password: user.password } })).status).toBe(
      200,
    );
    const created = await db
      .select({ n: count() })
      .from(users)
      .where(or(eq(sql`lower(${users.username})`, fresh), like(users.email, `${fresh}@%`)));
    expect(created[0]?.n).toBe(0);
    const live = await db
      .select({ n: count() })
      .from(sessions)
      .where(sql`${sessions.userId} = ${user.id} and ${isNull(sessions.revokedAt)}`);
    // The signup session and the login just above; no bad request signed in or revoked anything.
    expect(live[0]?.n).toBe(2);
    const resets = await db.select().from(passwordResets).where(eq(passwordResets.userId, user.id));
    expect(resets.map((r) => r.usedAt)).toEqual([null]);
    expect(await db.select().from(devMail).where(eq(devMail.to, user.email))).toEqual([]);
    expect(
      await db
        .select()
        .from(rateLimits)
        .where(like(rateLimits.key, `%${IP}`)),
    ).toEqual([]);
    expect(
      await db
        .select()
        .from(rateLimits)
        .where(eq(rateLimits.key, `password-failures:user:${user.id}`)),
    ).toEqual([]);
  });
});
