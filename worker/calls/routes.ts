/**
 * The call history, under /api/calls (protocol/calls.ts, protocol/call-history.ts). Everything
 * needs a session, and a user reads only calls they made or received.
 *
 *   GET  /?before=&limit=   → {calls: [{id, kind, direction, other, outcome, createdAt, durationSeconds}], next}
 *   GET  /missed            → {count}   missed calls not seen yet
 *   POST /missed/seen       → 204       they are seen: the count starts again from zero
 */
import { Hono } from 'hono';
import { HISTORY_PAGE_DEFAULT, HistoryQuerySchema } from '../../protocol/call-history.ts';
import { requireUser } from '../auth/session.ts';
import type { AppEnv } from '../http/context.ts';
import { query } from '../http/validate.ts';
import { callHistory, markMissedSeen, missedCount } from './store.ts';

export const callRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', query(HistoryQuerySchema), async (c) => {
    const { before, limit = HISTORY_PAGE_DEFAULT } = c.req.valid('query');
    return c.json(await callHistory(c.var.db, c.var.user.id, limit, before), 200);
  })
  .get('/missed', async (c) => c.json({ count: await missedCount(c.var.db, c.var.user.id) }, 200))
  .post('/missed/seen', async (c) => {
    await markMissedSeen(c.var.db, c.var.user.id);
    return c.body(null, 204);
  });
