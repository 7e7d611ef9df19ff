/**
 * The user line's HTTP side, for signed-in users (rules: protocol/user-line.ts):
 *
 *   GET  /api/line/ws  → 101            the tab's line (throttled per user)
 *   POST /api/calls    {contactId}      → 201 {call: CallView}   ring a mutual contact (throttled per caller)
 *
 * `POST /api/calls` answers 403 `not_a_contact` for anyone but a mutual contact, and nothing then
 * reaches the callee. Otherwise it writes a room that only the two of them may open and the call's
 * row, then asks the callee's line to ring; the answer is the caller's view of the call, already
 * settled when the callee is offline or busy.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { requireUser } from '../auth/session.ts';
import type { AppEnv } from '../http/context.ts';
import { ApiError } from '../http/errors.ts';
import { enforce, rule } from '../http/rate-limit.ts';
import { jsonBody } from '../http/validate.ts';
import { areContacts } from './contacts.ts';
import { connectToLine, lineOf } from './handoff.ts';
import { createRingCall } from './store.ts';

/** Lines a user may open per minute: every page of every tab, and reconnects with backoff. */
const LINES_PER_USER = rule('line-socket-user', 60, 60);
/** Rings a caller may start: one every ten seconds on average, far above a person redialling. */
const RINGS_PER_USER = rule('call-ring-user', 60, 10 * 60);

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
  const { contactId } = c.req.valid('json');
  const caller = c.var.user;
  // Counted before anything else, so the limit holds for rings sent at once, to anyone.
  await enforce(c.var.db, RINGS_PER_USER, caller.id);
  if (!(await areContacts(c.var.db, caller.id, contactId))) {
    throw new ApiError(403, 'not_a_contact', 'You can only call your contacts.', 'contactId');
  }
  const { id, roomId, callee } = await createRingCall(c.var.db, caller.id, contactId);
  const call = await lineOf(c.env, contactId).ring({
    id,
    roomId,
    caller: { userId: caller.id, username: caller.username },
    callee,
  });
  return c.json({ call }, 201);
});
