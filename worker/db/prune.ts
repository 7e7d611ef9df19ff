/**
 * The daily clean-up (a Cron Trigger, wrangler.toml): rows that can no longer mean anything. A
 * session that is no longer live (revoked, expired, or idle too long: auth/session.ts) is refused
 * whether its row says so or is gone. Reset tokens are kept a day past expiry, so a late click still hears "expired"
 * rather than "unknown". Throttling windows go a day after they ended (rate-limit.ts).
 */
import { lt, sql } from 'drizzle-orm';
import { pruneDeadSessions } from '../auth/session.ts';
import { pruneExpired as pruneRateLimits } from '../http/rate-limit.ts';
import type { Database } from './client.ts';
import { passwordResets } from './schema.ts';

export async function pruneStaleRows(db: Database): Promise<void> {
  await Promise.all([
    pruneDeadSessions(db),
    db.delete(passwordResets).where(lt(passwordResets.expiresAt, sql`now() - interval '1 day'`)),
    pruneRateLimits(db),
  ]);
}
