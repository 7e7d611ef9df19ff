/**
 * The ICE servers a browser needs to reach the other peer, chosen by configuration:
 *
 * - Cloudflare TURN (`TURN_KEY_ID` + secret `TURN_KEY_API_TOKEN`): short-lived credentials from
 *   Cloudflare's API, passed on as they come (whitelisted fields only). If that API fails the
 *   request fails with a 502: we cannot make up credentials for it.
 * - Any TURN server with a shared secret, e.g. coturn's `use-auth-secret` (`TURN_URLS` + secret
 *   `TURN_SECRET`): the TURN REST scheme, username `${expiry}:${userId}:${roomId}` (the server
 *   reads the expiry before the first colon; the rest names who relays for which call, in its
 *   logs) and credential base64(HMAC-SHA1(secret, username)), which it checks without calling us.
 * - Neither: STUN only, and `relay: false` so the UI can say that strict networks will fail.
 *
 * Secrets never leave the Worker; credentials expire after TURN_TTL_SECONDS (default 10 minutes,
 * at most an hour: the client renews them before they expire).
 */
import * as v from 'valibot';
import type { IceServer, TurnCredentials } from '../../protocol/turn.ts';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';

const DEFAULT_STUN = 'stun:stun.cloudflare.com:3478';
const DEFAULT_TTL_SECONDS = 600;
/** Credentials outlive the call they were given for by at most this long. */
const MAX_TTL_SECONDS = 3600;
const CLOUDFLARE_TURN_KEYS = 'https://rtc.live.cloudflare.com/v1/turn/keys';
const CLOUDFLARE_TIMEOUT_MS = 5_000;

const IceServerSchema = v.object({
  urls: v.union([v.string(), v.array(v.string())]),
  username: v.optional(v.string()),
  credential: v.optional(v.string()),
}) satisfies v.GenericSchema<unknown, IceServer>;

const CloudflareAnswerSchema = v.object({ iceServers: v.pipe(v.array(IceServerSchema), v.minLength(1)) });

/** ICE servers for `userId` in the call in `roomId` (the route has checked they have a socket there). */
export async function iceConfig(env: Env, userId: string, roomId: string, now = Date.now()): Promise<TurnCredentials> {
  const ttl = ttlSeconds(env.TURN_TTL_SECONDS);
  const expiry = Math.floor(now / 1000) + ttl;
  const expiresAt = new Date(expiry * 1000).toISOString();
  const turnUrls = splitList(env.TURN_URLS);
  if (env.TURN_KEY_ID && env.TURN_KEY_API_TOKEN) {
    return {
      iceServers: await cloudflareIceServers(env.TURN_KEY_ID, env.TURN_KEY_API_TOKEN, ttl),
      expiresAt,
      relay: true,
    };
  }
  const stun: IceServer = { urls: splitList(env.STUN_URLS || DEFAULT_STUN) };
  if (turnUrls.length > 0 && env.TURN_SECRET) {
    const username = `${expiry}:${userId}:${roomId}`;
    const credential = await hmacSha1Base64(env.TURN_SECRET, username);
    return { iceServers: [stun, { urls: turnUrls, username, credential }], expiresAt, relay: true };
  }
  if (turnUrls.length > 0 || env.TURN_KEY_ID) {
    console.warn(JSON.stringify({ event: 'turn_misconfigured', message: 'TURN is half configured: STUN only' }));
  }
  return { iceServers: [stun], expiresAt, relay: false };
}

/** The TURN REST API credential (draft-uberti-behave-turn-rest): base64(HMAC-SHA1(secret, username)). */
export async function hmacSha1Base64(secret: string, username: string): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-1' }, false, [
    'sign',
  ]);
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(username)));
  return btoa(String.fromCharCode(...signature));
}

async function cloudflareIceServers(keyId: string, token: string, ttl: number): Promise<IceServer[]> {
  const url = `${CLOUDFLARE_TURN_KEYS}/${encodeURIComponent(keyId)}/credentials/generate-ice-servers`;
  let answer: unknown;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ttl }),
      signal: AbortSignal.timeout(CLOUDFLARE_TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`status ${response.status}`);
    answer = await response.json();
  } catch (error) {
    throw relayUnavailable(String(error));
  }
  const parsed = v.safeParse(CloudflareAnswerSchema, answer);
  if (!parsed.success) throw relayUnavailable('unexpected answer');
  return parsed.output.iceServers;
}

function relayUnavailable(reason: string): ApiError {
  console.error(JSON.stringify({ event: 'cloudflare_turn_failed', reason }));
  return new ApiError(502, 'relay_unavailable', 'The relay service is not answering. Please try again in a moment.');
}

function ttlSeconds(raw: string | undefined): number {
  const ttl = Number(raw);
  return Number.isInteger(ttl) && ttl > 0 ? Math.min(ttl, MAX_TTL_SECONDS) : DEFAULT_TTL_SECONDS;
}

const splitList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
