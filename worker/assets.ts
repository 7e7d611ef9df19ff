/**
 * Static assets through the Worker (run_worker_first), so they get the security headers too.
 * Vite's hashed files never change: cache them for a year. Everything else, the SPA shell above
 * all, is revalidated so a deploy reaches users at once.
 */
import type { Context } from 'hono';
import type { AppEnv } from './http/context.ts';

const HASHED_ASSET = /^\/assets\/.+-[A-Za-z0-9_-]{8,}\.\w+$/;

export async function serveAsset(c: Context<AppEnv>): Promise<Response> {
  const response = await c.env.ASSETS.fetch(c.req.raw);
  const headers = new Headers(response.headers);
  const cacheControl = HASHED_ASSET.test(c.req.path) ? 'public, max-age=31536000, immutable' : 'no-cache';
  if (response.ok) headers.set('Cache-Control', cacheControl);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}
