import { afterAll, describe, expect, it } from 'vitest';
import { hit, peek, type Rule } from '../http/rate-limit.ts';
import { call, openTestDatabase, post, signUp, unique, uniqueIp } from './testing.ts';
import {
  accountSubject,
  FORGOT_PER_IP,
  LOGIN_PER_IP,
  loginSubject,
  PASSWORD_CHECKS_PER_ACCOUNT,
  SIGNUP_PER_IP,
} from './throttle.ts';

const { db, close } = openTestDatabase();
afterAll(close);

/** Uses up `times` of a rule directly, so tests need not pay a scrypt per attempt. */
async function preload(rule: Rule, subject: string, times: number): Promise<void> {
  for (let i = 0; i < times; i++) await hit(db, rule, subject);
}

async function expectThrottled(response: Response, windowSeconds: number): Promise<void> {
  expect(response.status).toBe(429);
  const retryAfter = Number(response.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
  expect(await response.json()).toEqual({
    error: {
      code: 'rate_limited',
      message: expect.stringMatching(/^Too many attempts\. Try again in \d+ (seconds|minutes)\.$/),
    },
  });
}

const login = (login: string, password: string, ip?: string) => post('/api/auth/login', { login, password }, { ip });

describe('login throttling', () => {
  it('allows 10 failed logins per account from any IPs, then refuses even the right password', async () => {
    const user = await signUp();
    for (let i = 0; i < 10; i++) expect((await login(user.username, 'wrong password')).status).toBe(401);
    await expectThrottled(await login(user.email, user.password), 15 * 60);
  });

  it('forgets failures after a successful login', async () => {
    const user = await signUp();
    await preload(PASSWORD_CHECKS_PER_ACCOUNT, accountSubject(user.id), 9);
    expect((await login(user.username, user.password)).status).toBe(200);
    expect((await peek(db, PASSWORD_CHECKS_PER_ACCOUNT, accountSubject(user.id))).hits).toBe(0);
  });

  it('throttles an unknown account exactly like a known one', async () => {
    const name = `ghost_${unique()}`;
    await preload(PASSWORD_CHECKS_PER_ACCOUNT, loginSubject(undefined, name), 9);
    expect((await login(name.toUpperCase(), 'wrong password')).status).toBe(401);
    await expectThrottled(await login(name, 'wrong password'), 15 * 60);
  });

  it('counts current passwords checked by change-password against the account', async () => {
    const user = await signUp();
    await preload(PASSWORD_CHECKS_PER_ACCOUNT, accountSubject(user.id), 10);
    const response = await post(
      '/api/auth/change-password',
      { currentPassword: user.password, password: 'a whole new password', confirmPassword: 'a whole new password' },
      { cookie: user.cookie },
    );
    await expectThrottled(response, 15 * 60);
  });

  it('allows 50 logins per IP per 15 minutes', async () => {
    const user = await signUp();
    const ip = uniqueIp();
    await preload(LOGIN_PER_IP, ip, 49);
    expect((await login(user.username, user.password, ip)).status).toBe(200);
    await expectThrottled(await login(user.username, user.password, ip), 15 * 60);
    expect((await login(user.username, user.password)).status).toBe(200);
  });
});

describe('signup throttling', () => {
  it('allows 10 signups per IP per hour', async () => {
    const taken = await signUp();
    const ip = uniqueIp();
    const attempt = () =>
      post(
        '/api/auth/signup',
        { username: taken.username, email: taken.email, password: 'password!', confirmPassword: 'password!' },
        { ip },
      );
    await preload(SIGNUP_PER_IP, ip, 9);
    expect((await attempt()).status).toBe(409);
    await expectThrottled(await attempt(), 60 * 60);
  });
});

describe('forgot-password throttling', () => {
  const forgot = (email: string, ip?: string) => post('/api/auth/forgot-password', { email }, { ip });

  it('allows 10 requests per IP per hour', async () => {
    const ip = uniqueIp();
    await preload(FORGOT_PER_IP, ip, 9);
    expect((await forgot(`a_${unique()}@example.com`, ip)).status).toBe(202);
    await expectThrottled(await forgot(`b_${unique()}@example.com`, ip), 60 * 60);
  });

  it('allows 3 requests per address per hour, whether or not an account uses it', async () => {
    const user = await signUp();
    for (const email of [user.email, `nobody_${unique()}@example.com`]) {
      for (let i = 0; i < 3; i++) expect((await forgot(email)).status).toBe(202);
      await expectThrottled(await forgot(email.toUpperCase()), 60 * 60);
    }
  });
});

describe('GET /api/auth/me', () => {
  it('is never throttled', async () => {
    const user = await signUp();
    for (let i = 0; i < 3; i++)
      expect((await call('/api/auth/me', { cookie: user.cookie, ip: 'same' })).status).toBe(200);
  });
});
