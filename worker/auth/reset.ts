/**
 * Password-reset tokens. A token is 32 random bytes (base64url) mailed as a link; only its
 * SHA-256 is stored, so a database leak gives no usable links. A token lives 30 minutes and is
 * consumed by a conditional update, so two concurrent resets cannot both use it.
 */
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { passwordResets } from '../db/schema.ts';
import { ApiError } from '../http/errors.ts';
import type { Queryable } from './users.ts';

export const RESET_TOKEN_MINUTES = 30;

/** Stores a new token for the user and returns it (the only time it exists in clear). */
export async function issueResetToken(db: Queryable, userId: string): Promise<string> {
  const token = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url');
  const expiresAt = new Date(Date.now() + RESET_TOKEN_MINUTES * 60 * 1000);
  await db.insert(passwordResets).values({ tokenHash: await sha256(token), userId, expiresAt });
  return token;
}

/**
 * Marks the token used and returns its user; every other open token of that user dies with it.
 * Expired, used and unknown tokens are refused with 400, each with a message that says what to do.
 */
export async function consumeResetToken(db: Queryable, token: string): Promise<string> {
  const tokenHash = await sha256(token);
  const [consumed] = await db
    .update(passwordResets)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, sql`now()`),
      ),
    )
    .returning({ userId: passwordResets.userId });
  if (consumed) {
    await db
      .update(passwordResets)
      .set({ usedAt: sql`now()` })
      .where(and(eq(passwordResets.userId, consumed.userId), isNull(passwordResets.usedAt)));
    return consumed.userId;
  }
  const [row] = await db
    .select({ usedAt: passwordResets.usedAt })
    .from(passwordResets)
    .where(eq(passwordResets.tokenHash, tokenHash));
  throw refusal(row === undefined ? 'unknown' : row.usedAt ? 'used' : 'expired');
}

function refusal(reason: 'unknown' | 'used' | 'expired'): ApiError {
  const messages = {
    unknown: 'This reset link is not valid. Ask for a new one.',
    used: 'This reset link has already been used. Ask for a new one if you still need it.',
    expired: `This reset link has expired (links work for ${RESET_TOKEN_MINUTES} minutes). Ask for a new one.`,
  };
  return new ApiError(400, `reset_token_${reason}`, messages[reason], 'token');
}

async function sha256(token: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(token));
  return Buffer.from(digest).toString('hex');
}
