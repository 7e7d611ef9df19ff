/**
 * ICE server configurations. The TURN REST credential is checked against an independent HMAC
 * (node:crypto, and a published test vector); Cloudflare's API is replaced at the fetch boundary.
 */

import { env } from 'cloudflare:workers';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Env } from '../env.ts';
import { ApiError } from '../http/errors.ts';
import { hmacSha1Base64, iceConfig } from './ice-servers.ts';

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);
const ROOM = 'AbCdEfGhIjKlMnOp';
const none: Env = {
  ...env,
  STUN_URLS: 'stun:stun.example:3478',
  TURN_URLS: '',
  TURN_SECRET: undefined,
  TURN_TTL_SECONDS: '3600',
  TURN_KEY_ID: '',
  TURN_KEY_API_TOKEN: undefined,
};
const coturn: Env = {
  ...none,
  TURN_URLS: 'turn:turn.example:3478?transport=udp, turns:turn.example:5349',
  TURN_SECRET: 's3cret',
};
const cloudflare: Env = { ...none, TURN_KEY_ID: 'key-id', TURN_KEY_API_TOKEN: 'api-token' };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TURN REST (shared secret)', () => {
  it('computes base64(HMAC-SHA1(secret, username))', async () => {
    // RFC 2202, test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?") = effcdf6a…259a7c79.
    expect(await hmacSha1Base64('Jefe', 'what do ya want for nothing?')).toBe('7/zfauXrL6LSdBbV8YTfnCWafHk=');
  });

  it('gives STUN plus TURN with a username "expiry:userId:roomId" that expires after the TTL', async () => {
    const config = await iceConfig(coturn, 'user-1', ROOM, NOW);
    const expiry = NOW / 1000 + 3600;
    const username = `${expiry}:user-1:${ROOM}`;
    expect(config).toEqual({
      iceServers: [
        { urls: ['stun:stun.example:3478'] },
        {
          urls: ['turn:turn.example:3478?transport=udp', 'turns:turn.example:5349'],
          username,
          credential: createHmac('sha1', 's3cret').update(username).digest('base64'),
        },
      ],
      expiresAt: new Date(expiry * 1000).toISOString(),
      relay: true,
    });
    expect(JSON.stringify(config)).not.toContain('s3cret');
  });

  it('takes the TTL from TURN_TTL_SECONDS: 10 minutes by default, an hour at most', async () => {
    const ttl = async (value: string) => {
      const config = await iceConfig({ ...coturn, TURN_TTL_SECONDS: value }, 'u', ROOM, NOW);
      return (Date.parse(config.expiresAt) - NOW) / 1000;
    };
    expect(await ttl('120')).toBe(120);
    expect(await ttl('')).toBe(600);
    expect(await ttl('soon')).toBe(600);
    expect(await ttl('3601')).toBe(3600);
    expect(await ttl('10000000')).toBe(3600);
  });
});

describe('Cloudflare TURN', () => {
  const answer = {
    iceServers: [
      {
        urls: ['stun:stun.cloudflare.com:3478', 'turn:turn.cloudflare.com:3478?transport=udp'],
        username: 'cf-user',
        credential: 'cf-credential',
        somethingNew: 'dropped',
      },
    ],
  };

  it('asks the API for credentials with the TTL and passes its ICE servers on', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(Response.json(answer, { status: 201 }));
    const config = await iceConfig(cloudflare, 'user-1', ROOM, NOW);

    expect(fetchSpy).toHaveBeenCalledOnce();
    const [url, init] = fetchSpy.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('https://rtc.live.cloudflare.com/v1/turn/keys/key-id/credentials/generate-ice-servers');
    expect(init.method).toBe('POST');
    expect(new Headers(init.headers).get('authorization')).toBe('Bearer api-token');
    expect(JSON.parse(init.body as string)).toEqual({ ttl: 3600 });
    expect(config).toEqual({
      iceServers: [{ urls: answer.iceServers[0]?.urls, username: 'cf-user', credential: 'cf-credential' }],
      expiresAt: new Date(NOW + 3600_000).toISOString(),
      relay: true,
    });
    expect(JSON.stringify(config)).not.toContain('api-token');
  });

  it.each([
    ['an error status', () => Promise.resolve(new Response('{"errors":[]}', { status: 401 }))],
    ['a network failure', () => Promise.reject(new TypeError('fetch failed'))],
    ['an answer that is not JSON', () => Promise.resolve(new Response('<html>', { status: 201 }))],
    ['an answer without ICE servers', () => Promise.resolve(Response.json({ iceServers: [] }, { status: 201 }))],
  ])('turns %s into a 502', async (_case, reply) => {
    vi.spyOn(globalThis, 'fetch').mockImplementation(reply);
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const failure = await iceConfig(cloudflare, 'user-1', ROOM, NOW).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ status: 502, code: 'relay_unavailable' });
  });
});

describe('neither configured', () => {
  it('gives STUN only and says there is no relay', async () => {
    expect(await iceConfig(none, 'user-1', ROOM, NOW)).toEqual({
      iceServers: [{ urls: ['stun:stun.example:3478'] }],
      expiresAt: new Date(NOW + 3600_000).toISOString(),
      relay: false,
    });
  });

  it('falls back to Cloudflare STUN when STUN_URLS is empty, and warns about a half configuration', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const config = await iceConfig({ ...none, STUN_URLS: '', TURN_URLS: 'turn:turn.example:3478' }, 'u', ROOM, NOW);
    expect(config.iceServers).toEqual([{ urls: ['stun:stun.cloudflare.com:3478'] }]);
    expect(config.relay).toBe(false);
    expect(warn).toHaveBeenCalledOnce();
  });
});
