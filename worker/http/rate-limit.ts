/**
 * Throttling with fixed-window counters in Postgres, so every Worker isolate sees the same counts.
 * A rule names what is counted; a subject is who (an IP, an account, a user id).
 *
 * @example
 *   const LOGIN_PER_IP = rule('login-ip', 50, 15 * 60);
 *   await enforce(c.var.db, LOGIN_PER_IP, clientIp(c)); // 429 + Retry-After when over
 */
import { and, eq, lt, sql } from 'drizzle-orm';
import type { Context } from 'hono';
import type { Database } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';
import { ApiError } from './errors.ts';
import { ipKey } from './ip-key.ts';

export interface Rule {
  name: string;
  max: number;
  windowSeconds: number;
}

export const rule = (name: string, max: number, windowSeconds: number): Rule => ({ name, max, windowSeconds });

export interface WindowState {
  hits: number;
  retryAfterSeconds: number;
}

const keyOf = (r: Rule, subject: string) => `${r.name}:${subject}`;

/**
 * Counts one hit and returns the window's state (a new window starts when the old one is over).
 * One upsert: concurrent hits are counted exactly, each sees its own count.
 */
export async function hit(db: Database, r: Rule, subject: string): Promise<WindowState> {
  const expired = sql`${rateLimits.windowStartedAt} <= now() - make_interval(secs => ${r.windowSeconds})`;
  const [row] = await db
    .insert(rateLimits)
    .values({ key: keyOf(r, subject), windowStartedAt: sql`now()`, hits: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        windowStartedAt: sql`case when ${expired} then now() else ${rateLimits.windowStartedAt} end`,
        hits: sql`case when ${expired} then 1 else ${rateLimits.hits} + 1 end`,
      },
    })
    .returning({ hits: rateLimits.hits, retryAfterSeconds: retryAfter(r) });
  if (!row) throw new Error('rate limit upsert returned nothing');
  return row;
}

/** The window's state without counting a hit. */
export async function peek(db: Database, r: Rule, subject: string): Promise<WindowState> {
  const [row] = await db
    .select({ hits: rateLimits.hits, retryAfterSeconds: retryAfter(r) })
    .from(rateLimits)
    .where(
      and(
        eq(rateLimits.key, keyOf(r, subject)),
        sql`${rateLimits.windowStartedAt} > now() - make_interval(secs => ${r.windowSeconds})`,
      ),
    );
  return row ?? { hits: 0, retryAfterSeconds: 0 };
}

/** Forgets a subject's window (e.g. failed logins after a successful one). */
export async function clear(db: Database, r: Rule, subject: string): Promise<void> {
  await db.delete(rateLimits).where(eq(rateLimits.key, keyOf(r, subject)));
}

/**
 * Counts a hit and refuses with 429 once the rule's maximum is passed. Call it before the work
 * the rule guards: counting first is what makes the limit hold for requests sent at once.
 */
export async function enforce(db: Database, r: Rule, subject: string): Promise<void> {
  refuseIfOver(await hit(db, r, subject), r);
}

/** Drops windows that ended long ago; called now and then so the table stays small. */
export async function pruneExpired(db: Database): Promise<void> {
  await db.delete(rateLimits).where(lt(rateLimits.windowStartedAt, sql`now() - interval '1 day'`));
}

/**
 * The caller as per-IP limits count it: its IP as Cloudflare reports it, an IPv6 address by its
 * /64 (ip-key.ts); "unknown" where there is no edge in front.
 */
export function clientIp(c: Context): string {
  return ipKey(c.req.header('cf-connecting-ip') ?? 'unknown');
}

/** Refuses with 429 and Retry-After when a window's count is past the rule's maximum. */
export function refuseIfOver(state: WindowState, r: Rule): void {
  if (state.hits <= r.max) return;
  const retryAfter = Math.max(1, Math.ceil(state.retryAfterSeconds));
  throw new ApiError(429, 'rate_limited', `Too many attempts. Try again in ${describe(retryAfter)}.`, undefined, {
    'Retry-After': String(retryAfter),
  });
}

function retryAfter(r: Rule) {
  return sql<number>`greatest(0, extract(epoch from (${rateLimits.windowStartedAt} + make_interval(secs => ${r.windowSeconds}) - now())))::float8`.mapWith(
    Number,
  );
}

function describe(seconds: number): string {
  return seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
}
