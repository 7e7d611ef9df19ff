/**
 * Accounts through the real UI in Chromium: sign up, log out, log in, and recover a forgotten
 * password through the dev mailbox; the guard that sends a signed-out visitor to Log in and back;
 * and errors shown beside their field, from the server and from the shared schemas.
 */
import type { Browser, Page, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linkIn, logIn, logOut, newSignedInPage, readDevMail, uniqueUser } from './support/accounts.ts';
import { launchBrowser, newUserPage } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** The text of a visible element, once it is visible. */
async function visibleText(locator: ReturnType<Page['locator']>): Promise<string> {
  await locator.waitFor();
  return (await locator.textContent()) ?? '';
}

describe('accounts', () => {
  it('signs up, logs out, logs in, and resets a forgotten password through the dev mailbox', async () => {
    const page = await newUserPage(browser);
    const user = uniqueUser('alice');

    await page.goto('/signup');
    await page.getByLabel('Username').fill(user.username);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByLabel('Confirm password').fill(user.password);
    await page.getByRole('button', { name: 'Sign up' }).click();
    await page.waitForURL((url) => url.pathname === '/');
    expect(await visibleText(heading(page))).toBe(`Hello, ${user.username}`);

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await visibleText(heading(page))).toBe('Log in');

    await logIn(page, { login: user.username, password: user.password });
    expect(path(page)).toBe('/');
    expect(await visibleText(heading(page))).toBe(`Hello, ${user.username}`);
    await logOut(page);

    await page.getByRole('link', { name: 'Forgot your password?' }).click();
    // Not before the page is there: "Email" alone would also find Log in's "Username or email".
    await expect.poll(() => heading(page).textContent()).toBe('Forgot password');
    await page.getByLabel('Email', { exact: true }).fill(user.email);
    await page.getByRole('button', { name: 'Send reset link' }).click();
    expect(await visibleText(page.getByRole('status'))).toContain(
      'If an account exists for that email, we sent a link',
    );

    // Open the link the way a developer would: from the dev mailbox page.
    const [mail] = await readDevMail(page, user.email);
    const link = linkIn(mail, '/reset-password');
    await page.goto('/dev/mail');
    await page.locator(`a[href="${link.href}"]`).first().click();
    await page.waitForURL((url) => url.pathname === '/reset-password');
    const newPassword = `${user.password}-new`;
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Confirm password').fill(newPassword);
    await page.getByRole('button', { name: 'Reset password' }).click();
    expect(await visibleText(page.getByRole('status'))).toContain('Your password has been reset');

    // The link works once.
    await page.goto(link.href);
    await page.getByLabel('New password').fill(`${newPassword}-again`);
    await page.getByLabel('Confirm password').fill(`${newPassword}-again`);
    await page.getByRole('button', { name: 'Reset password' }).click();
    expect(await visibleText(page.getByRole('alert'))).not.toBe('');
    expect(path(page)).toBe('/reset-password');

    // The old password no longer works; the new one does.
    await page.goto('/login');
    await page.getByLabel('Username or email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await visibleText(page.getByRole('alert'))).toBe('Incorrect username, email or password');
    expect(path(page)).toBe('/login');

    await logIn(page, { login: user.email, password: newPassword });
    expect(path(page)).toBe('/');
    expect(await visibleText(heading(page))).toBe(`Hello, ${user.username}`);
  });

  it('takes the reset token out of the address bar on load and sends it only in the POST body', async () => {
    const { page, user } = await newSignedInPage(browser, 'erin');
    await logOut(page);
    const forgot = await page.request.post('/api/auth/forgot-password', { data: { email: user.email } });
    expect(forgot.status()).toBe(202);
    const [mail] = await readDevMail(page, user.email);
    const link = linkIn(mail, '/reset-password');
    const token = link.searchParams.get('token') as string;
    expect(token).toMatch(/^[\w-]{43}$/);

    const requests: Request[] = [];
    await page.goto(`${link.href}#top`);
    await expect.poll(() => page.url()).toBe(new URL('/reset-password#top', link).href);
    expect(await page.evaluate(() => location.href)).not.toContain(token);
    page.on('request', (request) => requests.push(request));

    const newPassword = `${user.password}-new`;
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Confirm password').fill(newPassword);
    await page.getByRole('button', { name: 'Reset password' }).click();
    expect(await visibleText(page.getByRole('status'))).toContain('Your password has been reset');

    const [reset, ...others] = requests.filter((request) => request.url().includes('/api/'));
    expect(new URL(reset?.url() ?? '').pathname).toBe('/api/auth/reset-password');
    expect(reset?.postDataJSON()).toMatchObject({ token });
    for (const request of requests) {
      expect(request.url()).not.toContain(token);
      expect((await request.allHeaders()).referer ?? '').not.toContain(token);
    }
    for (const request of others) expect(request.postData() ?? '').not.toContain(token);
  });

  it('sends a signed-out visit to Log in, then back where it was going', async () => {
    const { page, user } = await newSignedInPage(browser, 'bob');
    await logOut(page);

    await page.goto('/');
    await page.waitForURL((url) => url.pathname === '/login');
    expect(await visibleText(heading(page))).toBe('Log in');

    await logIn(page, { login: user.username, password: user.password });
    expect(path(page)).toBe('/');
    expect(await visibleText(heading(page))).toBe(`Hello, ${user.username}`);
  });

  it("shows the server's error beside its field: a taken username", async () => {
    const { user: taken } = await newSignedInPage(browser, 'carol');
    const page = await newUserPage(browser);
    const user = uniqueUser('carol');

    await page.goto('/signup');
    await page.getByLabel('Username').fill(taken.username);
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByLabel('Confirm password').fill(user.password);
    await page.getByRole('button', { name: 'Sign up' }).click();

    const field = page.getByLabel('Username');
    const error = page.locator('#field-username-error');
    expect(await visibleText(error)).toBe('That username is taken');
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('field-username-error');
    expect(await page.locator('.field-error').count()).toBe(1);
    expect(path(page)).toBe('/signup');
  });

  it('checks a form with the shared schema before sending it', async () => {
    const page = await newUserPage(browser);
    const sent: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST') sent.push(request.url());
    });
    const user = uniqueUser('dave');

    await page.goto('/signup');
    await page.getByLabel('Username').fill('No Spaces!');
    await page.getByLabel('Email').fill(user.email);
    await page.getByLabel('Password', { exact: true }).fill(user.password);
    await page.getByLabel('Confirm password').fill(`${user.password}-typo`);
    await page.getByRole('button', { name: 'Sign up' }).click();

    expect(await visibleText(page.locator('#field-username-error'))).toContain('Username must be 3–32 characters');
    expect(await visibleText(page.locator('#field-confirmPassword-error'))).toBe('Passwords do not match');
    // The first field to fix has focus, so the keyboard user starts there.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('field-username');
    expect(sent).toEqual([]);
  });
});
