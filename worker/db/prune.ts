/**
 * The daily clean-up (a Cron Trigger, wrangler.toml): rows that can no longer mean anything. An
 * expired session's JWT has expired too, and a revoked one is refused whether its row says revoked
 * or is gone. Reset tokens are kept a day past expiry, so a late click still hears "expired"
 * rather than "unknown". Throttling windows go a day after they ended (rate-limit.ts).
 */
import { isNotNull, lt, or, sql } from 'drizzle-orm';
import { pruneExpired as pruneRateLimits } from '../http/rate-limit.ts';
import type { Database } from './client.ts';
import { passwordResets, sessions } from './schema.ts';

export async function pruneStaleRows(db: Database): Promise<void> {
  await Promise.all([
    db.delete(sessions).where(or(lt(sessions.expiresAt, sql`now()`), isNotNull(sessions.revokedAt))),
    db.delete(passwordResets).where(lt(passwordResets.expiresAt, sql`now() - interval '1 day'`)),
    pruneRateLimits(db),
  ]);
}
