/**
 * The user line's HTTP side, for signed-in users (rules: protocol/user-line.ts):
 *
 *   GET  /api/line/ws  → 101            the tab's line (throttled per user)
 *   POST /api/calls    {contactId}      → 201 {call: CallView}   ring a mutual contact (throttled per caller)
 *
 * `POST /api/calls` is the HTTP form of a tab's `ring`: the caller's own line does the work
 * (outgoing.ts `start`), so the rules hold once for both: 403 `not_a_contact` for anyone but a
 * mutual contact (nothing then reaches the callee), 429 past the caller's ring limit, else the
 * caller's view of the call, already settled when the callee is offline or busy.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { requireUser } from '../auth/session.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { enforce, rule } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { connectToLine, lineOf } from './handoff.ts';
import { tooManyRings } from './outgoing.ts';

/** Lines a user may open per minute: every page of every tab, and reconnects with backoff. */
const LINES_PER_USER = rule('line-socket-user', 60, 60);

const RingSchema = v.strictObject({ contactId: v.pipe(v.string(), v.uuid('That is not a user id.')) });

export const lineRoutes = new Hono<AppEnv>().use(requireUser).get('/ws', async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
    throw new ApiError(426, 'upgrade_required', 'This address speaks WebSocket only.', undefined, {
      Upgrade: 'websocket',
    });
  }
  await enforce(c.var.db, LINES_PER_USER, c.var.user.id);
  return connectToLine(c.env, { user: c.var.user, sessionId: c.var.sessionId });
});

export const ringRoutes = new Hono<AppEnv>().use(requireUser).post('/', ...jsonBody(RingSchema), async (c) => {
  const { id, username } = c.var.user;
  const started = await lineOf(c.env, id).startCall({ userId: id, username }, c.req.valid('json').contactId);
  if ('call' in started) return c.json({ call: started.call }, 201);
  if (started.refused === 'not_a_contact') {
    throw new ApiError(403, 'not_a_contact', 'You can only call your contacts.', 'contactId');
  }
  const { retryAfterSeconds } = started;
  throw new ApiError(429, 'rate_limited', tooManyRings(retryAfterSeconds), undefined, {
    'Retry-After': String(retryAfterSeconds),
  });
});
