/** GET /api/turn-credentials through the whole app. */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env, exports } from 'cloudflare:workers';
import { afterEach, beforeAll, expect, it, vi } from 'vitest';
import { app } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import { createSignedInUser, type SignedInUser } from '../test-support/accounts.ts';

let user: SignedInUser;

beforeAll(async () => {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  user = await createSignedInUser(db, env.SESSION_SECRET);
  await close();
});

afterEach(() => {
  vi.restoreAllMocks();
});

const credentials = (cookie?: string) =>
  exports.default.fetch('http://localhost/api/turn-credentials', { headers: cookie ? { cookie } : {} });

it('needs a session', async () => {
  const response = await credentials();
  expect(response.status).toBe(401);
});

it('serves the configured servers (STUN only here), never to be cached', async () => {
  const response = await credentials(user.cookie);
  expect(response.status).toBe(200);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toEqual({
    iceServers: [{ urls: ['stun:stun.cloudflare.com:3478'] }],
    expiresAt: expect.any(String),
    relay: false,
  });
});

it("answers Cloudflare's failures with a JSON 502 that gives nothing away", async () => {
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response('upstream trouble', { status: 500 }));
  vi.spyOn(console, 'error').mockImplementation(() => {});
  const ctx = createExecutionContext();
  const request = new Request('http://localhost/api/turn-credentials', { headers: { cookie: user.cookie } });
  const response = await app.fetch(request, { ...env, TURN_KEY_ID: 'key-id', TURN_KEY_API_TOKEN: 'api-token' }, ctx);
  await waitOnExecutionContext(ctx);
  expect(response.status).toBe(502);
  const body = await response.text();
  expect(JSON.parse(body)).toMatchObject({ error: { code: 'relay_unavailable' } });
  expect(body).not.toMatch(/api-token|key-id|upstream/);
});

it('throttles each user', async () => {
  const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
  const busy = await createSignedInUser(db, env.SESSION_SECRET);
  await close();
  const statuses: number[] = [];
  for (let i = 0; i < 31; i++) statuses.push((await credentials(busy.cookie)).status);
  expect(statuses.slice(0, 30).every((status) => status === 200)).toBe(true);
  expect(statuses[30]).toBe(429);
  expect((await credentials(user.cookie)).status).toBe(200);
});
