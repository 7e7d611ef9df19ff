/**
 * Sessions: a jose-signed JWT (HS256, SESSION_SECRET) in an HttpOnly cookie, naming a row of the
 * `sessions` table. Every check reads that row, so logout and password reset revoke at once.
 */
import { and, eq, inArray, isNull, ne, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { jwtVerify, SignJWT } from 'jose';
import { sessions, users } from '../db/schema.ts';
import type { AppEnv, SignedInUser } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import type { Queryable } from './users.ts';

export const SESSION_COOKIE = 'session';
const SESSION_TTL_SECONDS = 30 * 24 * 60 * 60;
const ISSUER = 'edgecall';

const encoder = new TextEncoder();
const signingKey = (secret: string) => encoder.encode(secret);

/** Not revoked, not past its expiry. */
const isLive = () => sql`(${sessions.revokedAt} is null and ${sessions.expiresAt} > now())`;

/**
 * Which of these sessions are still live, in one query: for what holds sessions open, such as a
 * call room's sockets (worker/rooms/sweeps.ts), which must stop serving a session once it ends.
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
export async function startSession(c: Context<AppEnv>, userId: string): Promise<void> {
  await setSessionCookie(c, userId, await createSession(c.var.db, userId));
}

/**
 * Creates a session row only, so callers can make it in the same transaction as other writes
 * (signup) and set the cookie once that transaction has committed.
 */
export async function createSession(db: Queryable, userId: string): Promise<NewSession> {
  const expiresAt = new Date(Date.now() + SESSION_TTL_SECONDS * 1000);
  const [session] = await db.insert(sessions).values({ userId, expiresAt }).returning({ id: sessions.id });
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
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: !isLocalHttp(c.req.url),
    sameSite: 'Lax',
    path: '/',
    expires: session.expiresAt,
  });
}

/** Revokes the request's session (if any) and clears its cookie. */
export async function endSession(c: Context<AppEnv>): Promise<void> {
  const claims = await readClaims(c);
  if (claims) await c.var.db.update(sessions).set({ revokedAt: new Date() }).where(eq(sessions.id, claims.sid));
  deleteCookie(c, SESSION_COOKIE, { path: '/', secure: !isLocalHttp(c.req.url) });
}

/** Revokes every live session of the user, but `except` (the session that changed the password). */
export async function revokeAllSessions(db: Queryable, userId: string, except?: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: new Date() })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        except === undefined ? undefined : ne(sessions.id, except),
      ),
    );
}

/** The signed-in user of this request, or undefined (no cookie, bad signature, revoked, expired). */
export async function currentUser(c: Context<AppEnv>): Promise<{ user: SignedInUser; sessionId: string } | undefined> {
  const claims = await readClaims(c);
  if (!claims) return undefined;
  const [row] = await c.var.db
    .select({ id: users.id, username: users.username, email: users.email })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, claims.sid), eq(sessions.userId, claims.sub), isLive()));
  return row ? { user: row, sessionId: claims.sid } : undefined;
}

/** Route guard: sets `c.var.user` and `c.var.sessionId`, or answers 401. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await currentUser(c);
  if (!session) throw new ApiError(401, 'unauthenticated', 'Please log in.');
  c.set('user', session.user);
  c.set('sessionId', session.sessionId);
  await next();
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function readClaims(c: Context<AppEnv>): Promise<{ sid: string; sub: string } | undefined> {
  const token = getCookie(c, SESSION_COOKIE);
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

/** Cookies are Secure everywhere except plain-HTTP localhost, where browsers would drop them. */
function isLocalHttp(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'http:' && (hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]');
}
