/**
 * The dev database proxy answers only our own processes: a web page the developer visits while
 * `npm run dev` runs can open WebSockets to 127.0.0.1, and behind the proxy is a Postgres superuser
 * (who can read every table and run programs with `COPY … FROM PROGRAM`).
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';
import { WebSocket } from 'ws';
import { openDatabase } from '../../worker/db/client.ts';
import '../lib/migrate.ts'; // gives the Neon driver a WebSocket in Node

const env = inject('workerEnv');
const DATABASE_URL = env.DATABASE_URL ?? '';
const DB_PROXY = env.DB_PROXY ?? '';
const proxy = new URL(`ws://${DB_PROXY}`);
const postgresAddress = `127.0.0.1:${new URL(DATABASE_URL).port}`;

/** Opens a WebSocket to the proxy: 'open', or the HTTP status it was refused with. */
function upgrade(path: string, headers: Record<string, string> = {}): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://${proxy.host}${path}?address=${postgresAddress}`, { headers });
    socket.once('open', () => {
      socket.close();
      resolve('open');
    });
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

describe('the dev database proxy', () => {
  it("refuses a web page, even one that knows this run's path", async () => {
    expect(await upgrade(`${proxy.pathname}/v1`, { Origin: 'https://evil.example' })).toBe(401);
    expect(await upgrade(`${proxy.pathname}/v1`, { Origin: 'null' })).toBe(401);
  });

  it("refuses a path without this run's token", async () => {
    expect(await upgrade('/v1')).toBe(401);
    const token = proxy.pathname.slice(1);
    const wrongToken = token.replace(/^./, (first) => (first === 'a' ? 'b' : 'a'));
    expect(await upgrade(`/${wrongToken}/v1`)).toBe(401);
  });

  it("lets the Worker's own driver through (no Origin, token in the path)", async () => {
    expect(await upgrade(`${proxy.pathname}/v1`)).toBe('open');
    const { db, close } = openDatabase(DATABASE_URL, DB_PROXY);
    try {
      expect((await db.execute(sql`select 1 as one`)).rows).toEqual([{ one: 1 }]);
    } finally {
      await close();
    }
  });

  it('guards a cluster whose superuser password is random, not the well-known one', async () => {
    const password = decodeURIComponent(new URL(DATABASE_URL).password);
    expect(password).not.toBe('postgres');
    expect(password.length).toBeGreaterThanOrEqual(32);
    const guess = new URL(DATABASE_URL);
    guess.password = 'postgres';
    const client = new pg.Client({ connectionString: guess.href });
    await expect(client.connect()).rejects.toThrow(/password authentication failed/);
    await client.end().catch(() => {});
  });
});
