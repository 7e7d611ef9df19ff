import { env } from 'cloudflare:workers';
import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openDatabase } from '../db/client.ts';
import { handleError } from './errors.ts';

const { db, close } = openDatabase(env.DATABASE_URL, env.DB_PROXY);
afterAll(close);

describe('unexpected errors', () => {
  it("log the error's name and Postgres code, never the failed query's parameters", async () => {
    const secret = 'scrypt$ln=14,r=8,p=5$c2VjcmV0$aGFzaA== of someone@example.com';
    const app = new Hono()
      .get('/', async (c) => c.json(await db.execute(sql`select ${secret}::int`)))
      .onError(handleError);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const response = await app.request('/');
      expect(response.status).toBe(500);
      expect(await response.text()).not.toContain('someone');
      expect(logged).toHaveBeenCalledTimes(1);
      const line = String(logged.mock.calls[0]?.[0]);
      expect(JSON.parse(line)).toEqual({
        event: 'unhandled_error',
        path: '/',
        name: expect.any(String),
        pgCode: '22P02',
      });
      expect(line).not.toContain('someone@example.com');
      expect(line).not.toContain('scrypt$');
    } finally {
      logged.mockRestore();
    }
  });

  it('log a plain error by its name', async () => {
    const app = new Hono()
      .get('/', () => {
        throw new TypeError('token abc123 is not valid');
      })
      .onError(handleError);
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      expect((await app.request('/')).status).toBe(500);
      expect(JSON.parse(String(logged.mock.calls[0]?.[0]))).toEqual({
        event: 'unhandled_error',
        path: '/',
        name: 'TypeError',
      });
    } finally {
      logged.mockRestore();
    }
  });
});
