/**
 * Moving around the SPA in Chromium (web/router.tsx): links and Back/Forward change the page
 * without loading the document again, focus lands on the new page's heading, a modified click and
 * a download link are left to the browser, a lazily loaded page's chunks are fetched side by side,
 * and an address the app does not know gets a page saying so.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newSignedInPage } from './support/accounts.ts';
import { launchBrowser } from './support/browser.ts';

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const path = (page: Page) => new URL(page.url()).pathname;
const heading = (page: Page) => page.getByRole('heading', { level: 1 });

/** Marks the loaded document: the mark survives a move within the SPA, not a page load. */
const markDocument = (page: Page) => page.evaluate(() => Object.assign(window, { sameDocument: true }));
const sameDocument = (page: Page) => page.evaluate(() => 'sameDocument' in window);

/** The page's h1 text once it reads `text`, and whether it has focus then. */
async function pageShown(page: Page, text: string | RegExp): Promise<{ focused: boolean }> {
  await heading(page).filter({ hasText: text }).waitFor();
  const focused = await heading(page).evaluate((h1) => h1 === document.activeElement);
  return { focused };
}

describe('navigation', () => {
  it('follows links, Back and Forward within one document, focusing each new heading', async () => {
    const { page, user } = await newSignedInPage(browser, 'nav');
    await markDocument(page);

    await page.getByRole('link', { name: 'Account' }).click();
    expect(await pageShown(page, 'Account')).toEqual({ focused: true });
    expect(path(page)).toBe('/account');
    expect(await page.title()).toBe('Account · EdgeCall');
    // Each chunk a lazily loaded page needs was asked for beside it (modulepreload), not after it.
    const { scripts, preloaded } = await page.evaluate(() => ({
      scripts: performance
        .getEntriesByType('resource')
        .map(({ name }) => name)
        .filter((name) => name.endsWith('.js') && name !== document.querySelector('script')?.src)
        // Home's chunk imports nothing the entry has not loaded: its import() alone fetches it.
        .filter((name) => !new URL(name).pathname.startsWith('/assets/home-')),
      preloaded: Array.from(document.querySelectorAll<HTMLLinkElement>('link[rel=modulepreload]'), ({ href }) => href),
    }));
    expect(scripts.length).toBeGreaterThan(2);
    expect(preloaded).toEqual(expect.arrayContaining(scripts));

    await page.goBack();
    expect(await pageShown(page, `Hello, ${user.username}`)).toEqual({ focused: true });
    expect(path(page)).toBe('/');

    await page.goForward();
    expect(await pageShown(page, 'Account')).toEqual({ focused: true });

    await page.getByRole('link', { name: 'EdgeCall' }).click();
    await pageShown(page, `Hello, ${user.username}`);
    expect(path(page)).toBe('/');
    expect(await sameDocument(page)).toBe(true);
  });

  it('leaves a modified click to the browser: a new tab, this page stays', async () => {
    const { page } = await newSignedInPage(browser, 'nav_tab');
    const opened = page.context().waitForEvent('page');
    await page.getByRole('link', { name: 'Account' }).click({ modifiers: ['Control'] });
    const tab = await opened;
    await tab.waitForURL((url) => url.pathname === '/account');
    expect(path(page)).toBe('/');
    await tab.close();
  });

  it('leaves a download link to the browser, even one with an empty download attribute', async () => {
    const { page } = await newSignedInPage(browser, 'nav_dl');
    await page.evaluate(() => {
      const link = Object.assign(document.createElement('a'), { href: '/account', textContent: 'Save' });
      link.setAttribute('download', '');
      document.body.append(link);
    });
    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Save' }).click();
    await download;
    expect(path(page)).toBe('/');
  });

  it('says when there is nothing at an address, and links Home', async () => {
    const { page, user } = await newSignedInPage(browser, 'nav_404');
    await page.goto('/no/such/page');
    expect(await pageShown(page, 'Page not found')).toEqual({ focused: false });
    expect(await page.title()).toBe('Page not found · EdgeCall');
    await markDocument(page);

    await page.getByRole('link', { name: 'Go to Home' }).click();
    await pageShown(page, `Hello, ${user.username}`);
    expect(await sameDocument(page)).toBe(true);

    // A trailing slash is the same page.
    await page.goto('/account/');
    await pageShown(page, 'Account');
  });
});
