/**
 * Accounts through the real UI, for any browser test: sign up, log in, log out, and read the dev
 * mailbox (GET /api/dev/mail, newest first). Every helper waits until the app has answered and
 * throws with the server's own message when it refused, so a failing setup says why.
 *
 * @example
 *   const { page, user } = await newSignedInPage(browser, 'alice');   // on Home, signed in
 *   const [mail] = await readDevMail(page, user.email);
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import type { DevMail } from '../../protocol/dev-mail.ts';
import { baseURL, newUserPage } from './browser.ts';

export interface TestUser {
  username: string;
  email: string;
  password: string;
}

let made = 0;

/** A user no other test (or earlier run against the same database) has: `alice_m3k9x2_1`. */
export function uniqueUser(name = 'user'): TestUser {
  made += 1;
  const username = `${name
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '')
    .slice(0, 14)}_${Date.now().toString(36)}_${made}`;
  return { username, email: `${username}@example.com`, password: `pw-${username}-secret` };
}

/** Signs up on /signup; resolves on the page the app goes to next (Home, or `?next=`). */
export async function signUp(page: Page, user: TestUser): Promise<TestUser> {
  await page.goto('/signup');
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Email').fill(user.email);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await page.getByLabel('Confirm password').fill(user.password);
  await submit(page, 'Sign up', '/api/auth/signup');
  await page.waitForURL((url) => url.pathname !== '/signup');
  return user;
}

/** Logs in on the page it is on if that is Log in (e.g. after a redirect), else on /login. */
export async function logIn(page: Page, user: { login: string; password: string }): Promise<void> {
  if (new URL(page.url()).pathname !== '/login') await page.goto('/login');
  await page.getByLabel('Username or email').fill(user.login);
  await page.getByLabel('Password', { exact: true }).fill(user.password);
  await submit(page, 'Log in', '/api/auth/login');
  await page.waitForURL((url) => url.pathname !== '/login');
}

/** Clicks Log out (on Home) and waits for Log in. */
export async function logOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Log out' }).click();
  await page.waitForURL((url) => url.pathname === '/login');
}

/** One person in their own browser context, signed up and on Home. */
export async function newSignedInPage(
  browser: Browser,
  name = 'user',
  options: BrowserContextOptions = {},
): Promise<{ page: Page; user: TestUser }> {
  const page = await newUserPage(browser, options);
  const user = await signUp(page, uniqueUser(name));
  return { page, user };
}

/**
 * Mail sent to `to`, newest first, waiting until there is at least one (mail goes out after the
 * response). Reads through the page's context when given a page, else straight from the app.
 */
export async function readDevMail(
  from: Page | string,
  to: string,
  timeoutMs = 10_000,
): Promise<[DevMail, ...DevMail[]]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = typeof from === 'string' ? await fetchJson(`${from}/api/dev/mail`) : await pageJson(from);
    const mine = all.filter((mail) => mail.to.toLowerCase().includes(to.toLowerCase()));
    const [newest, ...older] = mine;
    if (newest) return [newest, ...older];
    if (Date.now() > deadline) throw new Error(`No mail to ${to} in the dev mailbox after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The first link in a mail's text whose path is `path`, e.g. '/reset-password'. */
export function linkIn(mail: DevMail, path: string): URL {
  for (const [match] of mail.text.matchAll(/https?:\/\/[^\s<>"]+/g)) {
    const url = new URL(match);
    if (url.pathname === path) return url;
  }
  throw new Error(`No ${path} link in mail "${mail.subject}":\n${mail.text}`);
}

/** Clicks a submit button and checks the API's answer, so a refusal fails here with its message. */
async function submit(page: Page, button: string, apiPath: string): Promise<void> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === apiPath && r.request().method() === 'POST'),
    page.getByRole('button', { name: button }).click(),
  ]);
  if (!response.ok()) throw new Error(`${button} refused: HTTP ${response.status()} ${await response.text()}`);
}

async function fetchJson(url: string): Promise<DevMail[]> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`GET ${url}: HTTP ${response.status}`);
  return (await response.json()) as DevMail[];
}

async function pageJson(page: Page): Promise<DevMail[]> {
  const response = await page.request.get(new URL('/api/dev/mail', baseURL()).href);
  if (!response.ok()) throw new Error(`GET /api/dev/mail: HTTP ${response.status()}`);
  return (await response.json()) as DevMail[];
}
