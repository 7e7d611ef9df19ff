/**
 * The Account page in Chromium: one person signed in on three devices (three browser contexts,
 * two of them with other user agents) lists them, signs one out, then every other one, and
 * changes the password there, which mails the account.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, logOut, newSignedInPage, readDevMail } from './support/accounts.ts';
import { launchBrowser, newUserPage } from './support/browser.ts';

const FIREFOX_ON_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:140.0) Gecko/20100101 Firefox/140.0';
const SAFARI_ON_IOS =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 19_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/19.0 Mobile/15E148 Safari/604.1';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;
const devices = (page: Page) => page.getByRole('list').filter({ hasText: 'This device' }).getByRole('listitem');
const device = (page: Page, name: string) => devices(page).filter({ hasText: name });

/** Whether a device is still signed in: Home greets it, or the guard has sent it to Log in. */
async function stillSignedIn(page: Page): Promise<boolean> {
  await page.goto('/');
  // Only a page shows an h1, never the guard's "Loading…": this waits for Home or Log in.
  const heading = await page.getByRole('heading', { level: 1 }).textContent();
  return heading?.startsWith('Hello, ') === true;
}

describe('the Account page', () => {
  it('lists the signed-in devices, signs out one and then every other, and changes the password', async () => {
    const { page, user } = await newSignedInPage(browser, 'dana');
    const firefox = await newUserPage(browser, { userAgent: FIREFOX_ON_WINDOWS });
    await logIn(firefox, { login: user.username, password: user.password });
    const phone = await newUserPage(browser, { userAgent: SAFARI_ON_IOS, viewport: { width: 360, height: 640 } });
    await logIn(phone, { login: user.email, password: user.password });

    await page.getByRole('link', { name: 'Account' }).click();
    await page.waitForURL((url) => url.pathname === '/account');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Account');
    await page.getByRole('heading', { name: 'Signed-in devices' }).waitFor();
    await expect.poll(() => devices(page).count()).toBe(3);
    expect(await device(page, 'This device').textContent()).toContain('Chrome on Linux');
    expect(await device(page, 'This device').getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    await device(page, 'Safari on iOS').waitFor();

    // Sign out the Firefox device only.
    await device(page, 'Firefox on Windows').getByRole('button', { name: 'Sign out' }).click();
    expect(await page.getByRole('status').filter({ hasText: 'was signed out' }).textContent()).toBe(
      'Firefox on Windows was signed out.',
    );
    await expect.poll(() => devices(page).count()).toBe(2);
    expect(await stillSignedIn(firefox)).toBe(false);
    expect(await stillSignedIn(phone)).toBe(true);

    // Then every other device.
    await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
    await page.getByRole('status').filter({ hasText: 'Every other device was signed out.' }).waitFor();
    await expect.poll(() => devices(page).count()).toBe(1);
    expect(await page.getByRole('button', { name: 'Sign out everywhere else' }).count()).toBe(0);
    expect(await stillSignedIn(phone)).toBe(false);
    expect(await stillSignedIn(page)).toBe(true);

    // Change the password there: a wrong current password is shown beside its field first.
    await page.goto('/account');
    const newPassword = `${user.password}-changed`;
    await page.getByLabel('Current password').fill('not the password');
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Confirm password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.locator('#field-currentPassword-error').waitFor();
    expect(await page.locator('#field-currentPassword-error').textContent()).toBe('Your current password is incorrect');

    await page.getByLabel('Current password').fill(user.password);
    await page.getByLabel('New password').fill(newPassword);
    await page.getByLabel('Confirm password').fill(newPassword);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Your password has been changed. Other devices have been logged out.' })
      .waitFor();
    expect(await page.getByLabel('Current password').inputValue()).toBe('');

    const [mail] = await readDevMail(page, user.email);
    expect(mail.subject).toBe('Your password was changed');

    await page.goto('/');
    await logOut(page);
    await logIn(page, { login: user.username, password: newPassword });
    expect(path(page)).toBe('/');
  });
});
