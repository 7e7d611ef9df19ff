/**
 * API answers carry accounts, sessions and room state: no browser, proxy or CDN may keep a copy
 * (a shared computer's back button, a misconfigured cache). Applied to every /api/* response,
 * errors and unknown paths included.
 */
import type { MiddlewareHandler } from 'hono';

export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.res.headers.set('Cache-Control', 'no-store');
};
