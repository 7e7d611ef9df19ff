/**
 * Test helpers for the accounts API: requests go through the whole app (security headers, CSRF,
 * database middleware) with an execution context the test waits on, so mail sent in the
 * background is stored before the test looks for it. Not imported by the Worker.
 */
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import type { DevMail } from '../../protocol/dev-mail.ts';
import { app } from '../app.ts';
import { openDatabase } from '../db/client.ts';
import type { Env } from '../env.ts';

export interface CallOptions {
  method?: string;
  /** Sent as application/json. */
  json?: unknown;
  body?: BodyInit;
  headers?: Record<string, string>;
  cookie?: string;
  /** cf-connecting-ip; a fresh one per call unless given, so tests never throttle each other. */
  ip?: string;
  /** Bindings to override, e.g. RESEND_API_KEY. */
  env?: Partial<Env>;
  origin?: string;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  let body = options.body;
  if (options.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.json);
  }
  if (options.cookie) headers.set('cookie', options.cookie);
  if (!headers.has('cf-connecting-ip')) headers.set('cf-connecting-ip', options.ip ?? uniqueIp());
  const method = options.method ?? (body === undefined ? 'GET' : 'POST');
  const request = new Request(new URL(path, options.origin ?? 'http://localhost'), { method, headers, body });
  const ctx = createExecutionContext();
  const response = await app.fetch(request, { ...env, ...options.env }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

export const post = (path: string, json: unknown, options: CallOptions = {}) => call(path, { ...options, json });

let counter = 0;
/** A value no other test (or test run) uses: for usernames, emails and IPs. */
export const unique = () => `${Date.now().toString(36)}${(counter++).toString(36)}${crypto.randomUUID().slice(0, 4)}`;

export const uniqueIp = () => `test-${unique()}`;

/** The `name=value` of the session cookie a response sets. */
export function sessionCookie(response: Response): string {
  const cookie = response.headers
    .getSetCookie()
    .find((c) => c.startsWith('session=') || c.startsWith('__Host-session='));
  if (!cookie) throw new Error(`no session cookie in ${response.status} response`);
  return cookie.split(';')[0] as string;
}

export interface TestUser {
  id: string;
  username: string;
  email: string;
  password: string;
  cookie: string;
}

/** Signs up a fresh user (one scrypt: ~125 ms) and returns its credentials and session cookie. */
export async function signUp(password = 'correct horse battery'): Promise<TestUser> {
  const username = `u_${unique()}`;
  const email = `${username}@example.com`;
  const response = await post('/api/auth/signup', { username, email, password, confirmPassword: password });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  const { id } = (await response.json()) as { id: string };
  return { id, username, email, password, cookie: sessionCookie(response) };
}

/** The test run's database, for checking what was (not) stored. Close it in afterAll. */
export const openTestDatabase = () => openDatabase(env.DATABASE_URL, env.DB_PROXY);

/** The dev mailbox's mail to one address, newest first. */
export async function mailTo(address: string): Promise<DevMail[]> {
  const mails = (await (await call('/api/dev/mail')).json()) as DevMail[];
  return mails.filter((mail) => mail.to === address);
}
