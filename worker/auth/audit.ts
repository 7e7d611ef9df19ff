/**
 * The accounts' audit trail: one JSON line per security event on the console, which Workers Logs
 * keeps and can search (`audit: true`). Events are a closed union, so a line can only carry ids,
 * the client's IP and a reason: never a password, hash, token, email, login name or body. (A
 * failed login's name is left out on purpose too: people type their password into it by mistake.)
 */

import type { Context } from 'hono';

export type AuditEvent =
  | { event: 'login_succeeded'; userId: string; sessionId: string }
  /** `userId` when the name tried belongs to an account. */
  | { event: 'login_failed'; userId?: string }
  /** The first refusal of a window: an account's password checks, or a user's password changes. */
  | { event: 'lockout'; rule: string; userId?: string }
  | { event: 'reset_requested'; userId: string }
  | { event: 'reset_used'; userId: string; sessionsRevoked: number }
  | { event: 'password_changed'; userId: string; sessionId: string; sessionsRevoked: number }
  | { event: 'session_revoked'; userId: string; sessionId: string; reason: 'logout' | 'signed_out_by_user' }
  | { event: 'sessions_revoked'; userId: string; keptSessionId: string; count: number };

/** Writes one audit line; `ip` is the client's address when there is a request. */
export function audit(entry: AuditEvent, ip?: string): void {
  console.log(JSON.stringify({ audit: true, at: new Date().toISOString(), ...entry, ...(ip ? { ip } : {}) }));
}

/** The client's own address, for audit lines (throttling keys it differently: rate-limit.ts). */
export const requestIp = (c: Context): string | undefined => c.req.header('cf-connecting-ip');
