import { env } from 'cloudflare:workers';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { unique } from '../auth/testing.ts';
import { openDatabase } from '../db/client.ts';
import { rateLimits } from '../db/schema.ts';
import { ApiError } from './errors.ts';
import { clear, enforce, hit, peek, pruneExpired, rule } from './rate-limit.ts';

const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
afterAll(close);

const fresh = (max = 3, windowSeconds = 600) => rule(`test-${unique()}`, max, windowSeconds);

/** Moves a window's start into the past, as if `seconds` had gone by. */
async function age(r: ReturnType<typeof rule>, subject: string, seconds: number): Promise<void> {
  await db
    .update(rateLimits)
    .set({ windowStartedAt: sql`${rateLimits.windowStartedAt} - make_interval(secs => ${seconds})` })
    .where(eq(rateLimits.key, `${r.name}:${subject}`));
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('rate limits', () => {
  it('counts hits within a window and reports the time left', async () => {
    const r = fresh();
    expect(await hit(db, r, 'a')).toMatchObject({ hits: 1 });
    const second = await hit(db, r, 'a');
    expect(second.hits).toBe(2);
    expect(second.retryAfterSeconds).toBeGreaterThan(599);
    expect(second.retryAfterSeconds).toBeLessThanOrEqual(600);
    expect(await peek(db, r, 'a')).toMatchObject({ hits: 2 });
    expect(await peek(db, r, 'b')).toEqual({ hits: 0, retryAfterSeconds: 0 });
  });

  it('starts a new window once the old one is over', async () => {
    const r = fresh();
    await hit(db, r, 'a');
    await hit(db, r, 'a');
    await age(r, 'a', 601);
    expect((await peek(db, r, 'a')).hits).toBe(0);
    const next = await hit(db, r, 'a');
    expect(next.hits).toBe(1);
    expect(next.retryAfterSeconds).toBeGreaterThan(599);
  });

  it('enforce lets `max` hits through and refuses the next with 429 and Retry-After', async () => {
    const r = fresh(2);
    await enforce(db, r, 'a');
    await enforce(db, r, 'a');
    await age(r, 'a', 100);
    const error = await refusal(enforce(db, r, 'a'));
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 429,
      code: 'rate_limited',
      message: 'Too many attempts. Try again in 9 minutes.',
    });
    expect((error as ApiError).headers['Retry-After']).toBe('500');
  });

  it('enforce lets exactly `max` of many concurrent hits through', async () => {
    const r = fresh(5);
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => refusal(enforce(db, r, 'a'))));
    expect(outcomes.filter((outcome) => outcome === undefined)).toHaveLength(5);
  });

  it('says seconds when less than 90 are left', async () => {
    const r = fresh(1, 60);
    await hit(db, r, 'a');
    await age(r, 'a', 15);
    const error = await refusal(enforce(db, r, 'a'));
    expect(error).toMatchObject({ message: 'Too many attempts. Try again in 45 seconds.' });
  });

  it('keeps subjects and rules apart, and clear forgets one subject', async () => {
    const [r1, r2] = [fresh(), fresh()];
    await hit(db, r1, 'a');
    await hit(db, r1, 'b');
    await hit(db, r2, 'a');
    await clear(db, r1, 'a');
    expect((await peek(db, r1, 'a')).hits).toBe(0);
    expect((await peek(db, r1, 'b')).hits).toBe(1);
    expect((await peek(db, r2, 'a')).hits).toBe(1);
  });

  it('counts concurrent hits exactly', async () => {
    const r = fresh(100);
    await Promise.all(Array.from({ length: 20 }, () => hit(db, r, 'a')));
    expect((await peek(db, r, 'a')).hits).toBe(20);
  });

  it('prunes windows older than a day', async () => {
    const r = fresh();
    await hit(db, r, 'old');
    await hit(db, r, 'new');
    await age(r, 'old', 2 * 24 * 3600);
    await pruneExpired(db);
    const keys = (await db.select({ key: rateLimits.key }).from(rateLimits)).map((row) => row.key);
    expect(keys).toContain(`${r.name}:new`);
    expect(keys).not.toContain(`${r.name}:old`);
  });
});
