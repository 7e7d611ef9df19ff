/**
 * Debian's Firefox ESR for call tests, driven over WebDriver BiDi by puppeteer-core (no driver and
 * no downloaded build): the prefs that give it a fake camera and microphone with no prompt, and one
 * person in it going through the real UI, as call.ts does for Chromium. Firefox needs a network
 * namespace for its calls (netns.ts). Puppeteer's ARIA selectors do not resolve in Firefox over
 * BiDi, so elements are found by CSS and XPath on the names the user sees.
 *
 * @example
 *   const fox = await newFirefoxCaller(ns.firefox, ns.appUrl, 'fox');   // signed up through the UI
 *   await fox.join(roomUrl);
 *   await expectGrowing(fox.stats, framesOf);
 */
import type { Browser, ElementHandle, Page } from 'puppeteer-core';
import { expect } from 'vitest';
import { type TestUser, uniqueUser } from './accounts.ts';
import { readCallStats, recordPeerConnections, type StatsReader } from './call.ts';

export const FIREFOX_PATH = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';

/** Fake devices, no permission prompt, no autoplay block, and every host candidate in the clear. */
export const FIREFOX_PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  'media.peerconnection.ice.default_address_only': false,
  'media.autoplay.default': 0,
  'media.autoplay.blocking_policy': 0,
  'network.proxy.type': 0,
};

export interface FirefoxCaller {
  page: Page;
  user: TestUser;
  stats: StatsReader;
  /** Home → "New call" → lobby → "Join call"; returns the room's URL. */
  startCall(): Promise<string>;
  /** Opens a room link, waits until "Join call" can be pressed, presses it. */
  join(roomUrl: string): Promise<void>;
  /** The button whose visible label or accessible name is `name`. */
  button(name: string): Promise<ElementHandle<Element>>;
  /** The text of the first element matching a CSS selector ('' when there is none). */
  text(selector: string): Promise<string>;
}

/** One person in their own Firefox context, signed up through the UI and on Home. */
export async function newFirefoxCaller(browser: Browser, appUrl: string, name: string): Promise<FirefoxCaller> {
  const user = uniqueUser(name);
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  // An uncaught error in the app is the first thing to read when a Firefox step fails.
  page.on('pageerror', (error) => console.error(`[firefox] ${user.username}: ${String(error)}`));
  await page.evaluateOnNewDocument(recordPeerConnections);
  const button = async (label: string) => {
    const quoted = JSON.stringify(label);
    const found = await page.waitForSelector(
      `::-p-xpath(//button[@aria-label=${quoted} or normalize-space()=${quoted}])`,
    );
    if (!found) throw new Error(`no button "${label}"`);
    return found;
  };
  const text = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '').catch(() => '');
  const caller: FirefoxCaller = {
    page,
    user,
    stats: () => page.evaluate(readCallStats),
    button,
    text,
    async startCall() {
      await (await button('New call')).click();
      await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/call\/[\w-]{16}$/);
      // Already in the lobby, and in the document the recording script ran in: no reload (one would
      // abort the lobby's stylesheet mid-load).
      await pressJoin();
      return page.url();
    },
    async join(roomUrl) {
      await page.goto(roomUrl);
      await pressJoin();
    },
  };
  // Puppeteer clicks where the button was (no waiting for a still layout, as Playwright does): wait
  // until the lobby has settled (devices started, who is here shown above the button) first.
  const pressJoin = async () => {
    await page.waitForSelector('.lobby-side .presence');
    const join = await button('Join call');
    await expect.poll(() => join.evaluate((element) => !(element as HTMLButtonElement).disabled)).toBe(true);
    await join.click();
    await button('End call');
  };

  await page.goto(new URL('/signup', appUrl).href);
  await page.type('#field-username', user.username);
  await page.type('#field-email', user.email);
  await page.type('#field-password', user.password);
  await page.type('#field-confirmPassword', user.password);
  await (await button('Sign up')).click();
  await expect.poll(() => new URL(page.url()).pathname, { timeout: 20_000 }).not.toBe('/signup');
  return caller;
}
