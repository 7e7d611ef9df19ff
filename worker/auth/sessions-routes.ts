/**
 * The signed-in devices of the current user, under /api/auth/sessions (the Account page):
 *
 *   GET    /        → {sessions: [{id, current, createdAt, lastSeenAt, userAgent}]}  live ones: this one, then most recent first
 *   DELETE /        → {revoked}   signs out every other device
 *   DELETE /:id     → 204         signs that device out; 404 for an id that is not one of yours
 *
 * Revoking a session ends it at once everywhere: every request reads its row (session.ts).
 */
import { Hono } from 'hono';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { audit, requestIp } from './audit.ts';
import { listSessions, requireUser, revokeAllSessions, revokeSession } from './session.ts';

export const sessionRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => {
    const rows = await listSessions(c.var.db, c.var.user.id);
    const listed = rows.map((row) => ({ ...row, current: row.id === c.var.sessionId }));
    // The device in hand first: its last use is written only every few minutes, so it may look older.
    return c.json({ sessions: listed.sort((a, b) => Number(b.current) - Number(a.current)) }, 200);
  })
  .delete('/', async (c) => {
    const { id: userId } = c.var.user;
    const revoked = await revokeAllSessions(c.var.db, userId, c.var.sessionId);
    audit({ event: 'sessions_revoked', userId, keptSessionId: c.var.sessionId, count: revoked }, requestIp(c));
    return c.json({ revoked }, 200);
  })
  .delete('/:id', async (c) => {
    const { id: userId } = c.var.user;
    const sessionId = c.req.param('id');
    if (!(await revokeSession(c.var.db, userId, sessionId))) {
      throw new ApiError(404, 'session_not_found', 'You have no signed-in device with this id.');
    }
    audit({ event: 'session_revoked', userId, sessionId, reason: 'signed_out_by_user' }, requestIp(c));
    return c.body(null, 204);
  });
