/**
 * Browser-facing protections applied to every response and every state-changing request.
 */
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { ApiError } from './errors.ts';

/**
 * Only our own origin, plus what WebRTC needs: camera/mic/screen streams (`mediastream:`, `blob:`).
 * Styles allow 'unsafe-inline' because Vite injects <style> in development and Preact sets inline
 * styles; scripts stay strictly 'self'.
 */
export const securityHeaders: MiddlewareHandler = secureHeaders({
  contentSecurityPolicy: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:', 'blob:'],
    mediaSrc: ["'self'", 'blob:', 'mediastream:'],
    connectSrc: ["'self'"],
    objectSrc: ["'none'"],
    baseUri: ["'none'"],
    formAction: ["'self'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: 'strict-origin-when-cross-origin',
  xFrameOptions: 'DENY',
  permissionsPolicy: {
    camera: ['self'],
    microphone: ['self'],
    displayCapture: ['self'],
    fullscreen: ['self'],
    geolocation: [],
  },
  // Cross-origin isolation would block nothing we need and could break media: keep defaults off.
  crossOriginEmbedderPolicy: false,
});

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF: a state-changing request, or a WebSocket upgrade (which carries the session cookie),
 * coming from another origin is refused. Browsers always send Origin on these; clients that send
 * none (curl, server-to-server) cannot carry a victim's cookie, so they are let through.
 */
export const sameOriginOnly: MiddlewareHandler = async (c, next) => {
  const isUpgrade = c.req.header('upgrade')?.toLowerCase() === 'websocket';
  if (!SAFE_METHODS.has(c.req.method) || isUpgrade) {
    const origin = c.req.header('origin');
    const fetchSite = c.req.header('sec-fetch-site');
    const crossOrigin =
      (origin !== undefined && origin !== new URL(c.req.url).origin) ||
      fetchSite === 'cross-site' ||
      fetchSite === 'same-site';
    if (crossOrigin) throw new ApiError(403, 'cross_origin', 'Requests from another site are not allowed.');
  }
  await next();
};
