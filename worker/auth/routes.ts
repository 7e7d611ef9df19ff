/**
 * The accounts API, mounted at /api/auth: signup, login, logout, me, forgot/reset/change password.
 * Bodies are validated with the shared schemas (protocol/accounts.ts) before any database or
 * scrypt work, so bad input is cheap to refuse; routes are chained so their types reach the SPA.
 *
 * Password checks cost one scrypt (~125 ms CPU): unknown users get a dummy one, so login answers
 * "unknown" and "wrong password" alike and in the same time. Writes that belong together
 * (account + first session; token use + new password + revocations) run in one transaction.
 */
import { type Context, Hono } from 'hono';
import {
  ChangePasswordSchema,
  ForgotPasswordSchema,
  LoginSchema,
  ResetPasswordSchema,
  SignupSchema,
} from '../../protocol/accounts.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { clear, clientIp, enforce, enforceNotExhausted, hit } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import { consumeResetToken, RESET_TOKEN_MINUTES } from './reset.ts';
import { mailResetLink } from './reset-mail.ts';
import {
  createSession,
  endSession,
  requireUser,
  revokeAllSessions,
  setSessionCookie,
  startSession,
} from './session.ts';
import {
  accountSubject,
  FORGOT_PER_EMAIL,
  FORGOT_PER_IP,
  LOGIN_PER_IP,
  loginSubject,
  PASSWORD_FAILURES_PER_ACCOUNT,
  SIGNUP_PER_IP,
} from './throttle.ts';
import { findById, findByLogin, insertUser, refuseTaken, setPasswordHash } from './users.ts';

const FORGOT_ACCEPTED = {
  message: `If an account uses this email, a link to reset its password is on its way. It works for ${RESET_TOKEN_MINUTES} minutes.`,
};

export const authRoutes = new Hono<AppEnv>()
  .post('/signup', ...jsonBody(SignupSchema), async (c) => {
    const { username, email, password } = c.req.valid('json');
    const db = c.var.db;
    await enforce(db, SIGNUP_PER_IP, clientIp(c));
    // The friendly 409 before paying for a hash; insertUser still catches a concurrent signup.
    await refuseTaken(db, username, email);
    const passwordHash = await hashPassword(password);
    const { user, session } = await db.transaction(async (tx) => {
      const user = await insertUser(tx, { username, email, passwordHash });
      return { user, session: await createSession(tx, user.id) };
    });
    await setSessionCookie(c, user.id, session);
    return c.json(user, 201);
  })

  .post('/login', ...jsonBody(LoginSchema), async (c) => {
    const { login, password } = c.req.valid('json');
    const db = c.var.db;
    await enforce(db, LOGIN_PER_IP, clientIp(c));
    const found = await findByLogin(db, login);
    const account = await checkPassword(c, found, loginSubject(found, login), password, () => {
      throw new ApiError(401, 'invalid_credentials', 'Incorrect username, email or password');
    });
    const { id, username, email, passwordHash } = account;
    if (needsRehash(passwordHash)) await setPasswordHash(db, id, await hashPassword(password));
    await startSession(c, id);
    return c.json({ id, username, email }, 200);
  })

  .post('/logout', async (c) => {
    await endSession(c);
    return c.body(null, 204);
  })

  .get('/me', requireUser, (c) => c.json(c.var.user, 200))

  .post('/forgot-password', ...jsonBody(ForgotPasswordSchema), async (c) => {
    const { email } = c.req.valid('json');
    await enforce(c.var.db, FORGOT_PER_IP, clientIp(c));
    await enforce(c.var.db, FORGOT_PER_EMAIL, email.toLowerCase());
    c.executionCtx.waitUntil(mailResetLink(c.env, email, new URL(c.req.url).origin));
    return c.json(FORGOT_ACCEPTED, 202);
  })

  .post('/reset-password', ...jsonBody(ResetPasswordSchema), async (c) => {
    const { token, password } = c.req.valid('json');
    // The token is checked before hashing, so guessing tokens costs no scrypt; a failure rolls back.
    const userId = await c.var.db.transaction(async (tx) => {
      const userId = await consumeResetToken(tx, token);
      await setPasswordHash(tx, userId, await hashPassword(password));
      await revokeAllSessions(tx, userId);
      return userId;
    });
    // Whoever was guessing this account's password is no longer relevant: start the count afresh.
    await clear(c.var.db, PASSWORD_FAILURES_PER_ACCOUNT, accountSubject(userId));
    return c.json({ message: 'Your password has been reset. Log in with your new password.' }, 200);
  })

  // Validation first: junk is refused without even a session lookup.
  .post('/change-password', ...jsonBody(ChangePasswordSchema), requireUser, async (c) => {
    const { currentPassword, password } = c.req.valid('json');
    const { id } = c.var.user;
    const account = await findById(c.var.db, id);
    await checkPassword(c, account, accountSubject(id), currentPassword, () => {
      throw new ApiError(400, 'wrong_password', 'Your current password is incorrect', 'currentPassword');
    });
    const passwordHash = await hashPassword(password);
    await c.var.db.transaction(async (tx) => {
      await setPasswordHash(tx, id, passwordHash);
      await revokeAllSessions(tx, id, c.var.sessionId);
    });
    return c.json({ message: 'Your password has been changed. Other devices have been logged out.' }, 200);
  });

/**
 * One password check under the per-account failure limit: refuses (429) once the account has
 * used up its failures, verifies (a dummy scrypt when there is no account), counts a failure and
 * calls `fail` on a mismatch, and forgets earlier failures on success. Returns the account.
 */
async function checkPassword<A extends { passwordHash: string }>(
  c: Context<AppEnv>,
  account: A | undefined,
  subject: string,
  password: string,
  fail: () => never,
): Promise<A> {
  const db = c.var.db;
  await enforceNotExhausted(db, PASSWORD_FAILURES_PER_ACCOUNT, subject);
  const matches = await verifyPassword(password, account?.passwordHash);
  if (!account || !matches) {
    await hit(db, PASSWORD_FAILURES_PER_ACCOUNT, subject);
    return fail();
  }
  await clear(db, PASSWORD_FAILURES_PER_ACCOUNT, subject);
  return account;
}
