/**
 * GET /api/turn-credentials → {iceServers, expiresAt, relay} for the signed-in user (ice-servers.ts).
 * Throttled per user: a client asks when a call starts, on ICE restarts and before expiry.
 */
import { Hono } from 'hono';
import { requireUser } from '../auth/session.ts';
import type { AppEnv } from '../http/context.ts';
import { enforce, rule } from '../http/rate-limit.ts';
import { iceConfig } from './ice-servers.ts';

const PER_USER = rule('turn-credentials-user', 30, 5 * 60);

export const turnRoutes = new Hono<AppEnv>().use(requireUser).get('/', async (c) => {
  await enforce(c.var.db, PER_USER, c.var.user.id);
  // Credentials are personal and short-lived: no cache may keep them.
  c.header('Cache-Control', 'no-store');
  return c.json(await iceConfig(c.env, c.var.user.id));
});
