/**
 * Throttling under concurrent requests: every limit is counted before the work it guards, in one
 * statement, so a burst sent at once gets exactly as many answers as the limit allows.
 */
import { describe, expect, it } from 'vitest';
import { post, signUp, unique, uniqueIp } from './testing.ts';

/** How many responses had each status, e.g. `{ 401: 10, 429: 20 }`. */
async function statuses(requests: Promise<Response>[]): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  for (const response of await Promise.all(requests)) counts[response.status] = (counts[response.status] ?? 0) + 1;
  return counts;
}

const burst = (n: number, send: (i: number) => Promise<Response>) =>
  statuses(Array.from({ length: n }, (_, i) => send(i)));

describe('concurrent attempts', () => {
  it('checks at most 10 passwords of one account when 30 wrong logins arrive at once', async () => {
    const user = await signUp();
    const counts = await burst(30, () => post('/api/auth/login', { login: user.username, password: 'wrong password' }));
    expect(counts).toEqual({ 401: 10, 429: 20 });
  });

  it('checks at most 5 current passwords per user when 12 changes arrive at once', async () => {
    const user = await signUp();
    const counts = await burst(12, () =>
      post(
        '/api/auth/change-password',
        {
          currentPassword: 'not my password',
          password: 'a whole new password',
          confirmPassword: 'a whole new password',
        },
        { cookie: user.cookie },
      ),
    );
    expect(counts).toEqual({ 400: 5, 429: 7 });
  });

  it('lets 10 signups of one IP through when 15 arrive at once', async () => {
    const taken = await signUp();
    const ip = uniqueIp();
    const counts = await burst(15, () =>
      post(
        '/api/auth/signup',
        { username: taken.username, email: taken.email, password: 'password!', confirmPassword: 'password!' },
        { ip },
      ),
    );
    expect(counts).toEqual({ 409: 10, 429: 5 });
  });

  it('lets 10 forgot-password requests of one IP through when 15 arrive at once', async () => {
    const ip = uniqueIp();
    const counts = await burst(15, (i) =>
      post('/api/auth/forgot-password', { email: `nobody_${unique()}_${i}@example.com` }, { ip }),
    );
    expect(counts).toEqual({ 202: 10, 429: 5 });
  });

  it('counts IPv6 clients of one /64 together', async () => {
    const group = () => Math.floor(Math.random() * 0x10000).toString(16);
    const prefix = `2001:db8:${group()}:${group()}`;
    const counts = await burst(12, (i) =>
      post(
        '/api/auth/forgot-password',
        { email: `nobody_${unique()}_${i}@example.com` },
        { ip: `${prefix}::${i + 1}` },
      ),
    );
    expect(counts).toEqual({ 202: 10, 429: 2 });
  });
});
