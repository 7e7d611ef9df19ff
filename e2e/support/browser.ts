/**
 * Debian's Chromium through playwright-core, set up for real WebRTC calls: fake camera (640x480),
 * fake microphone (a beep) and fake screen, permission prompts auto-accepted, and ICE candidates
 * on loopback (CI machines may have no other interface). Never `npx playwright install`: there
 * is no browser download here, only /usr/bin/chromium.
 *
 * @example
 *   const browser = await launchBrowser();
 *   const alice = await newUserPage(browser);             // its own cookies
 *   await alice.goto('/login');                            // relative to the app under test
 */
import { randomInt } from 'node:crypto';
import { type Browser, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { inject } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-ui-for-media-stream',
  '--use-fake-device-for-media-stream',
  '--autoplay-policy=no-user-gesture-required',
  '--allow-loopback-in-peer-connection',
];

/** Headless Chromium; extra flags are appended (a later flag wins over an earlier one). */
export function launchBrowser(extraFlags: string[] = []): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_FLAGS, ...extraFlags] });
}

/** The origin of the app under test (from the browser project's global setup). */
export const baseURL = (): string => inject('baseURL');

/**
 * A page in a new browser context: one person with their own cookies, relative URLs resolved
 * against the app. Pass e.g. `{ viewport: { width: 360, height: 640 }, isMobile: true }` for a phone.
 */
export async function newUserPage(browser: Browser, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({
    ...options,
    // A script outside Vitest (a benchmark) passes the URL from its own startAppServer().
    baseURL: options.baseURL ?? baseURL(),
    extraHTTPHeaders: { 'CF-Connecting-IP': randomPrivateIp(), ...options.extraHTTPHeaders },
  });
  // Fail a step in seconds, not Playwright's 30 s; a test can raise it for slow steps (a call connecting).
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/**
 * Every test browser connects from 127.0.0.1, so per-IP throttles (e.g. 10 signups an hour) would
 * count a whole test run as one visitor. Each context claims an address of its own in the header
 * the Worker reads the client's IP from; in production Cloudflare sets that header itself.
 */
const randomPrivateIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;
