/** The daily clean-up, run as Cloudflare runs it: the Worker's scheduled handler. */
import { createExecutionContext, createScheduledController } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { eq, inArray, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { unique } from '../auth/testing.ts';
import worker from '../index.ts';
import { createSignedInUser } from '../test-support/accounts.ts';
import { openDatabase } from './client.ts';
import { passwordResets, rateLimits, sessions } from './schema.ts';

const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
afterAll(close);

const hoursAgo = (hours: number) => new Date(Date.now() - hours * 3600_000);

const runCron = () => worker.scheduled(createScheduledController({ cron: '17 4 * * *' }), env);

describe('the daily clean-up', () => {
  it('drops rows that can no longer mean anything, and keeps the rest', async () => {
    const user = await createSignedInUser(db, env.SESSION_SECRET);
    const [live, expired, revoked, idle] = await db
      .insert(sessions)
      .values([
        { userId: user.id, expiresAt: new Date(Date.now() + 3600_000) },
        { userId: user.id, expiresAt: hoursAgo(1) },
        { userId: user.id, expiresAt: new Date(Date.now() + 3600_000), revokedAt: new Date() },
        { userId: user.id, expiresAt: new Date(Date.now() + 3600_000), lastSeenAt: hoursAgo(15 * 24) },
      ])
      .returning({ id: sessions.id });
    const [recentReset, usedReset, oldReset] = [unique(), unique(), unique()];
    await db.insert(passwordResets).values([
      { tokenHash: recentReset, userId: user.id, expiresAt: hoursAgo(2) }, // says "expired" for a day
      { tokenHash: usedReset, userId: user.id, expiresAt: new Date(Date.now() + 600_000), usedAt: new Date() },
      { tokenHash: oldReset, userId: user.id, expiresAt: hoursAgo(25) },
    ]);
    const [newWindow, oldWindow] = [`test-${unique()}:a`, `test-${unique()}:b`];
    await db.insert(rateLimits).values([
      { key: newWindow, windowStartedAt: new Date(), hits: 1 },
      { key: oldWindow, windowStartedAt: sql`now() - interval '2 days'`, hits: 1 },
    ]);

    await runCron();

    const sessionIds = (await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, user.id))).map(
      (row) => row.id,
    );
    expect(sessionIds).toContain(live?.id);
    expect(sessionIds).not.toContain(expired?.id);
    expect(sessionIds).not.toContain(revoked?.id);
    expect(sessionIds).not.toContain(idle?.id);
    const resets = await db
      .select({ tokenHash: passwordResets.tokenHash })
      .from(passwordResets)
      .where(inArray(passwordResets.tokenHash, [recentReset, usedReset, oldReset]));
    expect(resets.map((row) => row.tokenHash).sort()).toEqual([recentReset, usedReset].sort());
    const windows = await db
      .select({ key: rateLimits.key })
      .from(rateLimits)
      .where(inArray(rateLimits.key, [newWindow, oldWindow]));
    expect(windows.map((row) => row.key)).toEqual([newWindow]);
  });

  it("keeps the user's own session working", async () => {
    const user = await createSignedInUser(db, env.SESSION_SECRET);
    await runCron();
    const me = await worker.fetch(
      new Request('http://localhost/api/auth/me', { headers: { cookie: user.cookie } }),
      env,
      createExecutionContext(),
    );
    expect(me.status).toBe(200);
  });
});
