/**
 * Sessions: a jose-signed JWT (HS256, SESSION_SECRET) in an HttpOnly cookie, naming a row of the
 * `sessions` table. Every check reads that row, so logout, password reset and "Sign out" on the
 * Account page revoke at once. A session lives 30 days at most and ends sooner after 14 days
 * unused; its last use is written at most every few minutes, not on every request.
 *
 * The cookie is `__Host-session` wherever it is Secure (the browser then refuses it from a
 * subdomain or over HTTP), and plain `session` on http://localhost, where Secure cookies are dropped.
 */
import { and, desc, eq, inArray, ne, not, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { CookieOptions } from 'hono/utils/cookie';
import { jwtVerify, SignJWT } from 'jose';
import { sessions, users } from '../db/schema.ts';
import type { AppEnv, SignedInUser } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import type { Queryable } from './users.ts';

const COOKIE_NAME = 'session';
const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
const SESSION_IDLE_DAYS = 14;
/** How stale `last_seen_at` may get before a request writes it again. */
const LAST_SEEN_EVERY_MINUTES = 5;
const USER_AGENT_MAX = 512;
const ISSUER = 'edgecall';

const encoder = new TextEncoder();
const signingKey = (secret: string) => encoder.encode(secret);

/** Not revoked, not past its absolute expiry, used within the idle timeout. */
const isLive = () =>
  sql`(${sessions.revokedAt} is null and ${sessions.expiresAt} > now() and ${sessions.lastSeenAt} > now() - make_interval(days => ${SESSION_IDLE_DAYS}))`;

/**
 * Which of these sessions are live: not revoked (logout, Sign out, a password change or reset), not
 * past their 30 days, used within the last 14. The same rule as HTTP requests, in one query, for
 * what holds sessions open: a call room's sockets (worker/call-room/sweeps.ts).
 */
export async function liveSessionIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  const valid = ids.filter((id) => UUID.test(id));
  if (valid.length === 0) return new Set();
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(inArray(sessions.id, valid), isLive()));
  return new Set(rows.map((row) => row.id));
}

export interface NewSession {
  id: string;
  expiresAt: Date;
}

/** Creates a session row for the user and sets its cookie. */
export async function startSession(c: Context<AppEnv>, userId: string): Promise<NewSession> {
  const session = await createSession(c.var.db, userId, c.req.header('user-agent'));
  await setSessionCookie(c, userId, session);
  return session;
}

/**
 * Creates a session row only, so callers can make it in the same transaction as other writes
 * (signup) and set the cookie once that transaction has committed.
 */
export async function createSession(db: Queryable, userId: string, userAgent?: string): Promise<NewSession> {
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  const [session] = await db
    .insert(sessions)
    .values({ userId, expiresAt, userAgent: userAgent?.slice(0, USER_AGENT_MAX) || null })
    .returning({ id: sessions.id });
  if (!session) throw new Error('session insert returned nothing');
  return { id: session.id, expiresAt };
}

/** Signs a JWT naming the session row and sets it as the session cookie. */
export async function setSessionCookie(c: Context<AppEnv>, userId: string, session: NewSession): Promise<void> {
  const token = await new SignJWT({ sid: session.id })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(session.expiresAt)
    .sign(signingKey(c.env.SESSION_SECRET));
  setCookie(c, COOKIE_NAME, token, {
    ...cookieOptions(c),
    httpOnly: true,
    sameSite: 'Lax',
    expires: session.expiresAt,
  });
}

/** Revokes the request's session (if any) and clears its cookie; returns the session revoked. */
export async function endSession(c: Context<AppEnv>): Promise<{ sid: string; sub: string } | undefined> {
  const claims = await readClaims(c);
  if (claims) await c.var.db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, claims.sid));
  deleteCookie(c, COOKIE_NAME, cookieOptions(c));
  return claims;
}

/** Revokes every live session of the user but `except` (the one asking); returns how many. */
export async function revokeAllSessions(db: Queryable, userId: string, except?: string): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.userId, userId), isLive(), except === undefined ? undefined : ne(sessions.id, except)))
    .returning({ id: sessions.id });
  return revoked.length;
}

/** Revokes one live session of the user; false when the user has no such live session. */
export async function revokeSession(db: Queryable, userId: string, sessionId: string): Promise<boolean> {
  if (!UUID.test(sessionId)) return false;
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isLive()))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** Deletes every session that is no longer live (the daily clean-up, db/prune.ts). */
export async function pruneDeadSessions(db: Queryable): Promise<void> {
  await db.delete(sessions).where(not(isLive()));
}

/** The user's live sessions, most recently used first. */
export function listSessions(db: Queryable, userId: string) {
  return db
    .select({
      id: sessions.id,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      userAgent: sessions.userAgent,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isLive()))
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.createdAt));
}

/** The signed-in user of this request, or undefined (no cookie, bad signature, not live). */
export async function currentUser(c: Context<AppEnv>): Promise<{ user: SignedInUser; sessionId: string } | undefined> {
  const claims = await readClaims(c);
  if (!claims) return undefined;
  const db = c.var.db;
  const [row] = await db
    .select({
      user: { id: users.id, username: users.username, email: users.email },
      seenLongAgo: sql<boolean>`${sessions.lastSeenAt} < now() - make_interval(mins => ${LAST_SEEN_EVERY_MINUTES})`,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub), isLive()));
  if (!row) return undefined;
  if (row.seenLongAgo) await db.update(sessions).set({ lastSeenAt: sql`now()` }).where(eq(sessions.id, claims.sid));
  return { user: row.user, sessionId: claims.sid };
}

/**
 * Route guard: sets `c.var.user` and `c.var.sessionId`, or answers 401. Once per request: two
 * routers under one path (/api/calls: history and ringing) both guard it, and one check is enough.
 */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (c.get('user')) return next();
  const session = await currentUser(c);
  if (!session) throw new ApiError(401, 'unauthenticated', 'Please log in.');
  c.set('user', session.user);
  c.set('sessionId', session.sessionId);
  await next();
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readClaims(c: Context<AppEnv>): Promise<{ sid: string; sub: string } | undefined> {
  const token = getCookie(c, COOKIE_NAME, cookieOptions(c).prefix);
  if (!token) return undefined;
  try {
    const { payload } = await jwtVerify(token, signingKey(c.env.SESSION_SECRET), {
      issuer: ISSUER,
      algorithms: ['HS256'],
    });
    const { sid, sub } = payload;
    // Ids go into uuid columns: anything else would be a database error, not a 401.
    if (typeof sid !== 'string' || typeof sub !== 'string' || !UUID.test(sid) || !UUID.test(sub)) return undefined;
    return { sid, sub };
  } catch {
    return undefined;
  }
}

/**
 * `__Host-session` (Secure, Path=/, no Domain) everywhere but plain-HTTP localhost, where browsers
 * would drop a Secure cookie and the cookie is plain `session`.
 */
function cookieOptions(c: Context): CookieOptions {
  const { protocol, hostname } = new URL(c.req.url);
  const local = protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]');
  return local ? { path: '/', secure: false } : { path: '/', secure: true, prefix: 'host' };
}
