/**
 * The Hono application: the JSON API under /api (typed for the SPA through Hono RPC), the dev
 * mailbox when no mail provider is configured, and the SPA's static assets for everything else.
 */

import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { serveAsset } from './assets.ts';
import { authRoutes } from './auth/routes.ts';
import { callRoutes } from './calls/routes.ts';
import { contactRoutes } from './contacts/routes.ts';
import { type AppEnv, withDatabase } from './http/context.ts';
import { handleError, notFound } from './http/errors.ts';
import { noStore } from './http/no-store.ts';
import { sameOriginOnly, securityHeaders } from './http/security.ts';
import { devMailApi, devMailPage } from './mail/dev-mailbox.ts';
import { roomRoutes } from './rooms/routes.ts';
import { turnRoutes } from './turn/routes.ts';
import { lineRoutes, ringRoutes } from './user-line/routes.ts';

const api = new Hono<AppEnv>()
  .use(withDatabase)
  .get('/health', async (c) => {
    await c.var.db.execute(sql`select 1`);
    return c.json({ ok: true });
  })
  .route('/auth', authRoutes)
  .route('/calls', callRoutes)
  .route('/contacts', contactRoutes)
  .route('/rooms', roomRoutes)
  .route('/turn-credentials', turnRoutes)
  .route('/line', lineRoutes)
  .route('/calls', ringRoutes)
  .route('/dev/mail', devMailApi);

/** The API's type: the SPA's client (`hc<ApiType>`) derives every request and response from it. */
export type ApiType = typeof api;

export const app = new Hono<AppEnv>()
  // First, so that it marks the answers of the checks after it too (a cross-origin 403).
  .use('/api/*', noStore)
  .use(securityHeaders, sameOriginOnly)
  .route('/api', api)
  .all('/api/*', notFound)
  .route('/dev/mail', devMailPage)
  .get('*', serveAsset);

app.onError(handleError);
