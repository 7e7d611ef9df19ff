/**
 * The lobby and the call on a phone (360×640 portrait), a tablet (768×1024) and a desktop
 * (1280×800): nothing scrolls sideways, every control is on screen, on a phone the controls sit
 * in the bottom part of the screen where a thumb reaches.
 *
 * With UPDATE_SCREENSHOTS=1 it also saves screenshots of each to docs/screenshots/ for the README
 * (off by default: the fake camera's clock changes every picture, so every run would rewrite them).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser.ts';
import { type Caller, expectRemotePicture, newCaller } from './support/call.ts';

const SHOTS = resolve(import.meta.dirname, '../docs/screenshots');
const SAVE_SHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const PHONE = { width: 360, height: 640 };
const TABLET = { width: 768, height: 1024 };
const DESKTOP = { width: 1280, height: 800 };

let browser: Browser;
let phone: Caller;
let desktop: Caller;

beforeAll(async () => {
  if (SAVE_SHOTS) mkdirSync(SHOTS, { recursive: true });
  browser = await launchBrowser();
  phone = await newCaller(browser, 'alice', { viewport: PHONE, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  desktop = await newCaller(browser, 'bob', { viewport: DESKTOP });
});

afterAll(async () => {
  await browser?.close();
});

/** No sideways scrolling, and every control button fully on screen. */
async function checkFits(page: Page): Promise<void> {
  const layout = await page.evaluate(() => ({
    overflow: document.documentElement.scrollWidth - window.innerWidth,
    offscreen: Array.from(document.querySelectorAll('button'))
      .map((button) => ({ name: button.textContent, box: button.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.left < 0 || box.right > window.innerWidth))
      .map(({ name }) => name),
  }));
  expect(layout).toEqual({ overflow: 0, offscreen: [] });
}

async function shoot(page: Page, name: string): Promise<void> {
  if (SAVE_SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

describe('call layouts', () => {
  it('lobby on a phone, a tablet and a desktop', async () => {
    await phone.page.getByRole('button', { name: 'New call' }).click();
    await phone.page.getByRole('button', { name: 'Join call' }).waitFor();
    await phone.page.locator('.tile.preview video').waitFor();
    // The fake microphone beeps: the level meter moves with it.
    const meter = phone.page.getByRole('meter', { name: 'Microphone level' });
    await expect.poll(() => meter.evaluate((m: HTMLMeterElement) => m.value), { interval: 50 }).toBeGreaterThan(0.3);
    await checkFits(phone.page);
    await shoot(phone.page, 'lobby-phone');

    const room = phone.page.url();
    await desktop.page.goto(room);
    await desktop.page.locator('.tile.preview video').waitFor();
    await checkFits(desktop.page);
    await shoot(desktop.page, 'lobby-desktop');

    await desktop.page.setViewportSize(TABLET);
    await checkFits(desktop.page);
    await shoot(desktop.page, 'lobby-tablet');
    await desktop.page.setViewportSize(DESKTOP);
  });

  it('call on a phone, a desktop and a tablet, with the controls in thumb reach on the phone', async () => {
    await phone.page.getByRole('button', { name: 'Join call' }).click();
    await desktop.page.getByRole('button', { name: 'Join call' }).click();
    await expectRemotePicture(phone.page);
    await expectRemotePicture(desktop.page);

    await checkFits(phone.page);
    const controls = await phone.page
      .locator('.controls button')
      .evaluateAll((buttons) => buttons.map((button) => button.getBoundingClientRect().top));
    for (const top of controls) expect(top).toBeGreaterThan(PHONE.height * 0.75);
    await shoot(phone.page, 'call-phone');

    await checkFits(desktop.page);
    await shoot(desktop.page, 'call-desktop');

    await desktop.page.setViewportSize(TABLET);
    await checkFits(desktop.page);
    await shoot(desktop.page, 'call-tablet');

    // Audio-only: with the camera off, the other side sees initials instead of a black picture.
    await phone.page.getByRole('button', { name: 'Camera' }).click();
    await desktop.page.locator('.tile.remote .initials').waitFor();
    await desktop.page.setViewportSize(DESKTOP);
    await shoot(desktop.page, 'call-audio-only-desktop');
  });
});
