/**
 * The accounts API, mounted at /api/auth: signup, login, logout, me, forgot/reset/change password,
 * and the signed-in devices (sessions-routes.ts). Bodies are validated with the shared schemas
 * (protocol/accounts.ts) before any database or scrypt work, so bad input is cheap to refuse;
 * routes are chained so their types reach the SPA.
 *
 * Password checks cost one scrypt (~125 ms CPU): unknown users get a dummy one, so login answers
 * "unknown" and "wrong password" alike and in the same time. Every limit is counted before the
 * work it guards (throttle.ts). Writes that belong together (account + first session; token use +
 * new password + revocations) run in one transaction. Security events go to the audit log.
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
import { clear, clientIp, enforce, hit, type Rule, refuseIfOver } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { audit, requestIp } from './audit.ts';
import { hashPassword, needsRehash, verifyPassword } from './password.ts';
import { mailPasswordChanged } from './password-changed-mail.ts';
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
import { sessionRoutes } from './sessions-routes.ts';
import {
  accountSubject,
  CHANGE_PASSWORD_PER_USER,
  FORGOT_PER_EMAIL,
  FORGOT_PER_IP,
  LOGIN_PER_IP,
  loginSubject,
  PASSWORD_CHECKS_PER_ACCOUNT,
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
      return { user, session: await createSession(tx, user.id, c.req.header('user-agent')) };
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
      audit({ event: 'login_failed', ...(found ? { userId: found.id } : {}) }, requestIp(c));
      throw new ApiError(401, 'invalid_credentials', 'Incorrect username, email or password');
    });
    const { id, username, email, passwordHash } = account;
    if (needsRehash(passwordHash)) await setPasswordHash(db, id, await hashPassword(password));
    const session = await startSession(c, id);
    audit({ event: 'login_succeeded', userId: id, sessionId: session.id }, requestIp(c));
    return c.json({ id, username, email }, 200);
  })

  .post('/logout', async (c) => {
    const ended = await endSession(c);
    if (ended)
      audit({ event: 'session_revoked', userId: ended.sub, sessionId: ended.sid, reason: 'logout' }, requestIp(c));
    return c.body(null, 204);
  })

  .get('/me', requireUser, (c) => c.json(c.var.user, 200))

  .route('/sessions', sessionRoutes)

  .post('/forgot-password', ...jsonBody(ForgotPasswordSchema), async (c) => {
    const { email } = c.req.valid('json');
    await enforce(c.var.db, FORGOT_PER_IP, clientIp(c));
    await enforce(c.var.db, FORGOT_PER_EMAIL, email.toLowerCase());
    c.executionCtx.waitUntil(mailResetLink(c.env, email, new URL(c.req.url).origin, requestIp(c)));
    return c.json(FORGOT_ACCEPTED, 202);
  })

  .post('/reset-password', ...jsonBody(ResetPasswordSchema), async (c) => {
    const { token, password } = c.req.valid('json');
    // The token is checked before hashing, so guessing tokens costs no scrypt; a failure rolls back.
    const { userId, revoked } = await c.var.db.transaction(async (tx) => {
      const userId = await consumeResetToken(tx, token);
      await setPasswordHash(tx, userId, await hashPassword(password));
      return { userId, revoked: await revokeAllSessions(tx, userId) };
    });
    // Whoever was guessing this account's password is no longer relevant: start the count afresh.
    await clear(c.var.db, PASSWORD_CHECKS_PER_ACCOUNT, accountSubject(userId));
    audit({ event: 'reset_used', userId, sessionsRevoked: revoked }, requestIp(c));
    c.executionCtx.waitUntil(mailPasswordChanged(c.env, userId, 'reset', new Date()));
    return c.json({ message: 'Your password has been reset. Log in with your new password.' }, 200);
  })

  // Validation first: junk is refused without even a session lookup.
  .post('/change-password', ...jsonBody(ChangePasswordSchema), requireUser, async (c) => {
    const { currentPassword, password } = c.req.valid('json');
    const { id } = c.var.user;
    await enforceWithLockout(c, CHANGE_PASSWORD_PER_USER, id, id);
    const account = await findById(c.var.db, id);
    await checkPassword(c, account, accountSubject(id), currentPassword, () => {
      throw new ApiError(400, 'wrong_password', 'Your current password is incorrect', 'currentPassword');
    });
    const passwordHash = await hashPassword(password);
    const revoked = await c.var.db.transaction(async (tx) => {
      await setPasswordHash(tx, id, passwordHash);
      return revokeAllSessions(tx, id, c.var.sessionId);
    });
    audit(
      { event: 'password_changed', userId: id, sessionId: c.var.sessionId, sessionsRevoked: revoked },
      requestIp(c),
    );
    c.executionCtx.waitUntil(mailPasswordChanged(c.env, id, 'changed', new Date()));
    return c.json({ message: 'Your password has been changed. Other devices have been logged out.' }, 200);
  });

/**
 * One password check under the per-account limit: counts the check first (so checks sent at
 * once cannot outrun the count) and refuses (429) past the limit, verifies (a dummy scrypt when
 * there is no account), calls `fail` on a mismatch, and clears the count on success.
 */
async function checkPassword<A extends { id: string; passwordHash: string }>(
  c: Context<AppEnv>,
  account: A | undefined,
  subject: string,
  password: string,
  fail: () => never,
): Promise<A> {
  await enforceWithLockout(c, PASSWORD_CHECKS_PER_ACCOUNT, subject, account?.id);
  const matches = await verifyPassword(password, account?.passwordHash);
  if (!account || !matches) return fail();
  await clear(c.var.db, PASSWORD_CHECKS_PER_ACCOUNT, subject);
  return account;
}

/** `enforce`, and an audit line for the first refusal of the window: the moment of lockout. */
async function enforceWithLockout(c: Context<AppEnv>, r: Rule, subject: string, userId?: string): Promise<void> {
  const state = await hit(c.var.db, r, subject);
  if (state.hits === r.max + 1) audit({ event: 'lockout', rule: r.name, ...(userId ? { userId } : {}) }, requestIp(c));
  refuseIfOver(state, r);
}
